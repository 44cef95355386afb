// The controller driver: informer events become keys on a work queue; N workers take keys
// (one key never runs twice at once) and call the reconcile function; its result decides
// what happens to the key. Handlers get a 2 s budget: exceeding it is logged as a warning,
// because a blocked pass delays every other cluster behind it.
import { randomUUID } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { isConflict } from '../kube/kube-api-error.ts';
import type { ObjectRef } from '../kube/port.ts';
import type { Informer } from './informer.ts';
import { parseKey, type KeyMapper } from './keys.ts';
import { isTerminalError, outcomeLabel, Result, type ReconcileOutcomeLabel, type ReconcileResult } from './result.ts';
import { createWorkQueue, type QueueMetricsHooks, type WorkQueue, type WorkQueueOptions } from './work-queue.ts';

export type ReconcileContext = {
  readonly key: string;
  readonly ref: ObjectRef;
  /** Child logger with controller, namespace, name and reconcileId. */
  readonly log: Logger;
  readonly reconcileId: string;
  /** Failures in a row for this key (0 on a first or post-success attempt). */
  readonly retries: number;
  /** Aborted when shutdown's deadline passes: stop waiting on I/O. */
  readonly signal: AbortSignal;
};

export type ReconcileFn = (ctx: ReconcileContext) => Promise<ReconcileResult>;

export type ControllerMetricsHooks = {
  readonly queue: QueueMetricsHooks;
  reconciled(outcome: ReconcileOutcomeLabel, seconds: number): void;
  errored(terminal: boolean): void;
  activeWorkers(delta: number): void;
  maxConcurrent(n: number): void;
  /** Lets the metrics layer read the queue for the unfinished-work gauges. */
  attachQueue(queue: WorkQueue): void;
};

export type ControllerOptions = {
  readonly name: string;
  readonly reconcile: ReconcileFn;
  readonly log: Logger;
  /** Concurrent reconciles (distinct keys). Default 1. */
  readonly workers?: number;
  readonly metrics?: ControllerMetricsHooks;
  readonly queue?: Omit<WorkQueueOptions, 'metrics'>;
  /** Warn when a pass runs longer than this. Default 2000 ms. */
  readonly budgetMs?: number;
  /** Called after a terminal failure (e.g. to record a condition and a Warning event). */
  readonly onTerminal?: (ctx: ReconcileContext, error: unknown) => void | Promise<void>;
  readonly now?: () => number;
};

export type Controller = {
  readonly name: string;
  readonly queue: WorkQueue;
  enqueue(key: string): void;
  /**
   * Enqueues the keys `map` returns for every add, update and delete of the informer; with
   * `updateMatters`, only for the updates it accepts (controller-runtime's update predicate).
   */
  watch<T extends KubernetesObject>(informer: Informer<T>, map: KeyMapper<T>, updateMatters?: (old: T, object: T) => boolean): void;
  start(): void;
  /** Stops handing out keys and waits for passes in progress; false when the deadline passed first. */
  stop(deadlineMs: number): Promise<boolean>;
};

function classifyThrown(error: unknown): ReconcileResult {
  if (isConflict(error)) return Result.requeue('conflict');
  if (isTerminalError(error)) return Result.terminal(error);
  return Result.retry(error);
}

export function createController(options: ControllerOptions): Controller {
  const { name, reconcile } = options;
  const now = options.now ?? Date.now;
  const budgetMs = options.budgetMs ?? 2000;
  const workerCount = Math.max(1, options.workers ?? 1);
  const queue = createWorkQueue({ ...options.queue, ...(options.metrics ? { metrics: options.metrics.queue } : {}) });
  const log = options.log.child({ controller: name });
  const aborter = new AbortController();
  const workers: Promise<void>[] = [];
  options.metrics?.attachQueue(queue);
  options.metrics?.maxConcurrent(workerCount);

  function context(key: string): ReconcileContext {
    const ref = parseKey(key);
    const reconcileId = randomUUID();
    return { key, ref, reconcileId, retries: queue.retries(key), signal: aborter.signal, log: log.child({ namespace: ref.namespace, name: ref.name, reconcileId }) };
  }

  async function runOnce(ctx: ReconcileContext): Promise<ReconcileResult> {
    const started = now();
    const warn = setTimeout(() => ctx.log.warn({ budgetMs, elapsedMs: now() - started }, 'reconcile exceeded its time budget'), budgetMs);
    try {
      return await reconcile(ctx);
    } catch (error) {
      return classifyThrown(error);
    } finally {
      clearTimeout(warn);
    }
  }

  function settle(ctx: ReconcileContext, result: ReconcileResult): void {
    switch (result.kind) {
      case 'done':
        queue.forget(ctx.key);
        return;
      case 'requeueAfter':
        queue.forget(ctx.key);
        queue.addAfter(ctx.key, result.ms);
        ctx.log.debug({ afterMs: result.ms, why: result.why }, 'requeue after');
        return;
      case 'requeue':
        // Not an error: someone else wrote first, so look again at once.
        queue.add(ctx.key);
        ctx.log.debug({ why: result.why }, 'requeue');
        return;
      case 'retry':
        options.metrics?.errored(false);
        queue.addRateLimited(ctx.key);
        ctx.log.warn({ err: result.error, retries: ctx.retries + 1 }, 'reconcile failed; retrying with back-off');
        return;
      case 'terminal':
        options.metrics?.errored(true);
        queue.forget(ctx.key);
        ctx.log.error({ err: result.error }, 'reconcile failed terminally; waiting for the object to change');
        void Promise.resolve(options.onTerminal?.(ctx, result.error)).catch((err: unknown) => ctx.log.warn({ err }, 'terminal-failure hook failed'));
        return;
    }
  }

  async function processKey(key: string): Promise<void> {
    const ctx = context(key);
    const started = now();
    options.metrics?.activeWorkers(1);
    try {
      const result = await runOnce(ctx);
      options.metrics?.reconciled(outcomeLabel(result), (now() - started) / 1000);
      settle(ctx, result);
    } finally {
      options.metrics?.activeWorkers(-1);
      queue.done(key);
    }
  }

  async function work(): Promise<void> {
    for (let key = await queue.get(); key !== undefined; key = await queue.get()) await processKey(key);
  }

  return {
    name,
    queue,
    enqueue: (key) => queue.add(key),
    watch<T extends KubernetesObject>(informer: Informer<T>, map: KeyMapper<T>, updateMatters?: (old: T, object: T) => boolean): void {
      const enqueue = (object: T): void => { for (const key of map(object)) queue.add(key); };
      const onUpdate = (old: T, object: T): void => { if (updateMatters === undefined || updateMatters(old, object)) enqueue(object); };
      informer.addHandler({ onAdd: enqueue, onUpdate, onDelete: enqueue });
    },
    start(): void {
      if (workers.length > 0) return;
      for (let i = 0; i < workerCount; i++) workers.push(work());
      log.info({ workers: workerCount }, 'controller started');
    },
    async stop(deadlineMs: number): Promise<boolean> {
      queue.shutDown();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), deadlineMs); });
      const drained = await Promise.race([queue.drain().then(() => true as const), deadline]);
      clearTimeout(timer);
      if (!drained) aborter.abort(new Error('shutdown deadline passed'));
      log.info({ drained }, 'controller stopped');
      return drained;
    },
  };
}
