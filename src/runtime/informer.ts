// An informer: a list-watch loop feeding a store, handlers told of each change, and an
// optional periodic resync that replays every cached object as an update (level-triggered
// controllers use it as a backstop). Handlers only compute keys and enqueue; a throwing handler
// is logged and skipped, never allowed to break the stream.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { kindLabel, type ResourceKind } from '../kube/kinds.ts';
import { createListWatch, type ListWatchOptions, type ListWatchSource, type ObjectEventType } from '../kube/list-watch.ts';
import type { CacheReader } from '../kube/port.ts';
import { createStore, type StoreChange } from './store.ts';

export type InformerHandler<T> = {
  onAdd?(object: T): void;
  /** `old === object` on a periodic resync. */
  onUpdate?(old: T, object: T): void;
  onDelete?(object: T): void;
};

export type InformerOptions<T extends KubernetesObject> = {
  readonly kind: ResourceKind<T>;
  readonly source: ListWatchSource<T>;
  readonly log: Logger;
  /** Replay every object to the handlers this often; 0 or absent: never. */
  readonly resyncMs?: number;
  /** Label keys indexed for `list({ labels })`. */
  readonly indexedLabels?: readonly string[];
  /** Passed to the list-watch loop (tests shorten timeouts and inject randomness). */
  readonly listWatch?: Omit<ListWatchOptions<T>, 'source' | 'sink' | 'observer'>;
};

export type Informer<T extends KubernetesObject> = {
  readonly kind: ResourceKind<T>;
  readonly cache: CacheReader<T>;
  readonly synced: boolean;
  /** Lists done so far (1 after the first sync; more after relists). */
  readonly lists: number;
  addHandler(handler: InformerHandler<T>): void;
  start(): void;
  stop(): Promise<void>;
  /** Resolves once the first list is stored; rejects when the signal aborts first. */
  waitForSync(signal?: AbortSignal): Promise<void>;
};

export function createInformer<T extends KubernetesObject>(options: InformerOptions<T>): Informer<T> {
  const store = createStore<T>(options.indexedLabels);
  const handlers: InformerHandler<T>[] = [];
  const log = options.log.child({ informer: kindLabel(options.kind) });
  const syncWaiters = new Set<() => void>();
  let resyncTimer: NodeJS.Timeout | undefined;

  function notify(change: StoreChange<T>): void {
    for (const handler of handlers) {
      try {
        if (change.type === 'add') handler.onAdd?.(change.object);
        else if (change.type === 'update') handler.onUpdate?.(change.old, change.object);
        else handler.onDelete?.(change.object);
      } catch (err) {
        log.error({ err, change: change.type }, 'informer handler threw');
      }
    }
  }

  const sink = {
    replace(items: readonly T[], resourceVersion: string): void {
      const changes = store.replace(items);
      store.markSynced();
      log.debug({ count: items.length, changes: changes.length, resourceVersion }, 'informer listed');
      for (const change of changes) notify(change);
      for (const resolve of syncWaiters) resolve();
      syncWaiters.clear();
    },
    apply(type: ObjectEventType, object: T): void {
      const change = type === 'DELETED' ? store.remove(object) : store.upsert(object);
      if (change !== undefined) notify(change);
    },
  };

  const loop = createListWatch<T>({
    ...options.listWatch,
    source: options.source,
    sink,
    observer: {
      onError: (err, retryInMs) => log.warn({ err, retryInMs }, 'watch failed; relisting after back-off'),
      onRelist: (reason) => { if (reason !== 'initial') log.info({ reason }, 'relisting'); },
    },
  });

  function resync(): void {
    for (const object of store.all()) notify({ type: 'update', old: object, object });
  }

  return {
    kind: options.kind,
    cache: store,
    get synced() { return store.synced; },
    get lists() { return loop.lists; },
    addHandler: (handler) => { handlers.push(handler); },
    start(): void {
      loop.start();
      if (options.resyncMs !== undefined && options.resyncMs > 0) {
        resyncTimer = setInterval(resync, options.resyncMs);
        resyncTimer.unref();
      }
    },
    async stop(): Promise<void> {
      clearInterval(resyncTimer);
      await loop.stop();
    },
    waitForSync(signal?: AbortSignal): Promise<void> {
      if (store.synced) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const done = (): void => { signal?.removeEventListener('abort', abort); resolve(); };
        const abort = (): void => { syncWaiters.delete(done); reject(signal?.reason as Error); };
        syncWaiters.add(done);
        signal?.addEventListener('abort', abort, { once: true });
      });
    },
  };
}
