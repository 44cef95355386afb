// The list-then-watch loop behind every informer (reference §4.3): list, then watch from the
// list's resourceVersion with bookmarks and a jittered server timeout; reconnect at once after
// a normal close or an idle stream; relist at once on 410; on any other error relist after a
// jittered exponential back-off. It never stops by itself: only stop() ends it.
import type { KubernetesObject } from '@kubernetes/client-node';
import { ErrorCodes, OperatorError } from '../errors.ts';
import type { ListResult } from './port.ts';

export type ObjectEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export type WatchEvent<T> =
  | { readonly type: ObjectEventType; readonly object: T }
  | { readonly type: 'BOOKMARK'; readonly resourceVersion: string }
  | { readonly type: 'ERROR'; readonly status: number; readonly reason: string };

export type WatchStream<T> = { readonly events: AsyncIterable<WatchEvent<T>>; close(): void };

export interface ListWatchSource<T> {
  list(): Promise<ListResult<T>>;
  /** Opens a watch; an HTTP failure to open surfaces as an error thrown by the iteration. */
  watch(params: { readonly resourceVersion: string; readonly timeoutSeconds: number }): WatchStream<T>;
}

export interface ListWatchSink<T> {
  /** The full state after a (re)list. */
  replace(items: readonly T[], resourceVersion: string): void;
  apply(type: ObjectEventType, object: T): void;
}

export type ListWatchObserver = {
  onError?(error: unknown, retryInMs: number): void;
  onRelist?(reason: 'initial' | 'expired' | 'error'): void;
};

export type ListWatchOptions<T> = {
  readonly source: ListWatchSource<T>;
  readonly sink: ListWatchSink<T>;
  readonly observer?: ListWatchObserver;
  /** [0, 1); injected so tests are deterministic. */
  readonly random?: () => number;
  /** No event (bookmarks included) for this long → reconnect. Default 90 s. */
  readonly idleTimeoutMs?: number;
  /** Server-side watch timeout, jittered in [min, max] seconds. Default 240–360. */
  readonly timeoutSeconds?: { readonly min: number; readonly max: number };
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
};

export type ListWatch = {
  start(): void;
  stop(): Promise<void>;
  readonly synced: boolean;
  readonly resourceVersion: string | undefined;
  /** Lists done so far, the first included. */
  readonly lists: number;
};

type WatchEnd = 'closed' | 'idle' | 'expired';

export function watchBackoffMs(failures: number, backoff: { initialMs: number; maxMs: number }, random: number): number {
  const base = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.5 + random / 2));
}

function isExpired(error: unknown): boolean {
  return (error as { status?: unknown } | null)?.status === 410;
}

export function createListWatch<T extends KubernetesObject>(options: ListWatchOptions<T>): ListWatch {
  const { source, sink, observer = {} } = options;
  const random = options.random ?? Math.random;
  const idleMs = options.idleTimeoutMs ?? 90_000;
  const timeouts = options.timeoutSeconds ?? { min: 240, max: 360 };
  const backoff = options.backoff ?? { initialMs: 500, maxMs: 30_000 };
  let resourceVersion: string | undefined;
  let synced = false;
  let stopped = false;
  let running: Promise<void> | undefined;
  let current: WatchStream<T> | undefined;
  let wake: (() => void) | undefined;
  let lists = 0;

  async function relist(reason: 'initial' | 'expired' | 'error'): Promise<void> {
    observer.onRelist?.(reason);
    const listed = await source.list();
    if (stopped) return;
    sink.replace(listed.items, listed.resourceVersion);
    lists++;
    resourceVersion = listed.resourceVersion;
    synced = true;
  }

  function handle(event: WatchEvent<T>): 'expired' | undefined {
    if (event.type === 'ERROR') {
      if (event.status === 410) return 'expired';
      throw new OperatorError(ErrorCodes.KUBE_WATCH, `watch ended with an ERROR event: ${event.status} ${event.reason}`, { retryable: true });
    }
    if (event.type === 'BOOKMARK') {
      resourceVersion = event.resourceVersion;
      return undefined;
    }
    resourceVersion = event.object.metadata?.resourceVersion ?? resourceVersion;
    sink.apply(event.type, event.object);
    return undefined;
  }

  async function watchOnce(fromVersion: string): Promise<WatchEnd> {
    const span = timeouts.max - timeouts.min + 1;
    const stream = source.watch({ resourceVersion: fromVersion, timeoutSeconds: timeouts.min + Math.floor(random() * span) });
    current = stream;
    let idle = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => { idle = true; stream.close(); }, idleMs);
    };
    try {
      arm();
      for await (const event of stream.events) {
        arm();
        if (handle(event) === 'expired') return 'expired';
      }
      return idle ? 'idle' : 'closed';
    } finally {
      clearTimeout(timer);
      stream.close();
      current = undefined;
    }
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => { wake = undefined; resolve(); }, ms);
      wake = () => { clearTimeout(timer); wake = undefined; resolve(); };
    });
  }

  async function cycle(failures: number): Promise<number> {
    try {
      if (resourceVersion === undefined) await relist(failures > 0 ? 'error' : synced ? 'expired' : 'initial');
      if (stopped || resourceVersion === undefined) return failures;
      const end = await watchOnce(resourceVersion);
      if (end === 'expired') resourceVersion = undefined;
      return 0;
    } catch (error) {
      if (stopped) return failures;
      if (isExpired(error)) {
        resourceVersion = undefined;
        return 0;
      }
      // Any other failure: the stream may have missed events, so relist after the back-off.
      resourceVersion = undefined;
      const delay = watchBackoffMs(failures + 1, backoff, random());
      observer.onError?.(error, delay);
      await sleep(delay);
      return failures + 1;
    }
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (!stopped) failures = await cycle(failures);
  }

  return {
    start(): void {
      if (running !== undefined) return;
      stopped = false;
      running = run();
    },
    async stop(): Promise<void> {
      stopped = true;
      current?.close();
      wake?.();
      await running;
      running = undefined;
    },
    get synced() { return synced; },
    get resourceVersion() { return resourceVersion; },
    get lists() { return lists; },
  };
}
