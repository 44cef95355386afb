// The work queue (client-go semantics): keys are de-duplicated while waiting; a key being
// processed is never handed out again until done(), and a re-add during processing runs after
// it; addAfter() delays, addRateLimited() backs off per key. shutDown() stops handing out keys
// (queued ones are left for the next leader or start) and drain() waits for keys in progress.
import { createRateLimiter, type RateLimiter } from './rate-limiter.ts';

export type QueueMetricsHooks = {
  added(): void;
  depth(n: number): void;
  /** Seconds a key waited between add and get. */
  queued(seconds: number): void;
  /** Seconds between get and done. */
  worked(seconds: number): void;
  retried(): void;
};

export type WorkQueueOptions = {
  readonly rateLimiter?: RateLimiter;
  readonly now?: () => number;
  readonly metrics?: QueueMetricsHooks;
};

export type WorkQueue = {
  add(key: string): void;
  addAfter(key: string, delayMs: number): void;
  /** Re-adds after the rate limiter's delay for this key (one more failure). */
  addRateLimited(key: string): void;
  forget(key: string): void;
  retries(key: string): number;
  /** Next key, or `undefined` once the queue shuts down. */
  get(): Promise<string | undefined>;
  done(key: string): void;
  shutDown(): void;
  /** Resolves when no key is being processed. */
  drain(): Promise<void>;
  readonly length: number;
  readonly shuttingDown: boolean;
  /** Seconds each key in progress has been running (for the unfinished-work gauges). */
  runningSeconds(): number[];
};

const noMetrics: QueueMetricsHooks = { added() {}, depth() {}, queued() {}, worked() {}, retried() {} };

export function createWorkQueue(options: WorkQueueOptions = {}): WorkQueue {
  const now = options.now ?? Date.now;
  const limiter = options.rateLimiter ?? createRateLimiter({ now });
  const metrics = options.metrics ?? noMetrics;
  const queue: string[] = [];
  const dirty = new Set<string>();
  const addedAt = new Map<string, number>();
  const processing = new Map<string, number>();
  const delayed = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  const getters: ((key: string | undefined) => void)[] = [];
  const drainers: (() => void)[] = [];
  let shuttingDown = false;

  function handOut(key: string): string {
    dirty.delete(key);
    const t = now();
    metrics.queued((t - (addedAt.get(key) ?? t)) / 1000);
    addedAt.delete(key);
    processing.set(key, t);
    return key;
  }

  function enqueue(key: string): void {
    const getter = getters.shift();
    if (getter) getter(handOut(key));
    else queue.push(key);
    metrics.depth(queue.length);
  }

  function add(key: string): void {
    if (shuttingDown || dirty.has(key)) return;
    metrics.added();
    dirty.add(key);
    addedAt.set(key, now());
    if (!processing.has(key)) enqueue(key);
  }

  function addAfter(key: string, delayMs: number): void {
    if (shuttingDown) return;
    if (delayMs <= 0) return add(key);
    const at = now() + delayMs;
    const existing = delayed.get(key);
    if (existing && existing.at <= at) return; // an earlier wake-up is already set
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => { delayed.delete(key); add(key); }, delayMs);
    delayed.set(key, { at, timer });
  }

  return {
    add,
    addAfter,
    addRateLimited(key: string): void {
      metrics.retried();
      addAfter(key, limiter.when(key));
    },
    forget: (key) => limiter.forget(key),
    retries: (key) => limiter.retries(key),
    get(): Promise<string | undefined> {
      if (shuttingDown) return Promise.resolve(undefined);
      const key = queue.shift();
      if (key !== undefined) {
        metrics.depth(queue.length);
        return Promise.resolve(handOut(key));
      }
      return new Promise((resolve) => getters.push(resolve));
    },
    done(key: string): void {
      const started = processing.get(key);
      if (started === undefined) return;
      processing.delete(key);
      metrics.worked((now() - started) / 1000);
      if (dirty.has(key) && !shuttingDown) enqueue(key);
      if (processing.size === 0) for (const resolve of drainers.splice(0)) resolve();
    },
    shutDown(): void {
      shuttingDown = true;
      for (const { timer } of delayed.values()) clearTimeout(timer);
      delayed.clear();
      for (const getter of getters.splice(0)) getter(undefined);
    },
    drain(): Promise<void> {
      if (processing.size === 0) return Promise.resolve();
      return new Promise((resolve) => drainers.push(resolve));
    },
    get length() { return queue.length; },
    get shuttingDown() { return shuttingDown; },
    runningSeconds: () => [...processing.values()].map((started) => (now() - started) / 1000),
  };
}
