// A small list+watch cache for one cluster-scoped path (reference §4.3): relist on 410 or error
// with back-off, re-watch at once after the client's 30 s idle timeout, so a quiet resource
// never waits for a delayed reconnect. Handlers only mark the cache changed.
import { Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';

export type ListResult<T> = { readonly items: T[]; readonly metadata?: { readonly resourceVersion?: string } };

export type ListWatch<T> = {
  items(): T[];
  readonly synced: Promise<void>;
  stop(): void;
};

type Logger = { warn(fields: object, message: string): void };

export function startListWatch<T extends KubernetesObject>(options: {
  readonly kc: KubeConfig;
  /** e.g. `/api/v1/persistentvolumes`. */
  readonly path: string;
  readonly list: () => Promise<ListResult<T>>;
  readonly onChange: () => void;
  readonly log: Logger;
}): ListWatch<T> {
  const cache = new Map<string, T>();
  let stopped = false;
  let abort: AbortController | undefined;
  let markSynced: () => void = () => undefined;
  const synced = new Promise<void>((resolve) => { markSynced = resolve; });
  const keyOf = (o: T): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

  async function relist(): Promise<string> {
    const result = await options.list();
    cache.clear();
    for (const item of result.items) cache.set(keyOf(item), item);
    markSynced();
    options.onChange();
    return result.metadata?.resourceVersion ?? '';
  }

  // Resolves 'again' to re-watch from the updated version, 'relist' on 410 (too old).
  function watchOnce(state: { rv: string }): Promise<'again' | 'relist'> {
    return new Promise((resolve, reject) => {
      const onEvent = (type: string, object: T): void => {
        // An ERROR event carries a Status (410 Gone: our version is too old); relisting is safe for all.
        if (type === 'ERROR') return void resolve('relist');
        state.rv = object.metadata?.resourceVersion ?? state.rv;
        if (type === 'BOOKMARK') return;
        if (type === 'DELETED') cache.delete(keyOf(object));
        else cache.set(keyOf(object), object);
        options.onChange();
      };
      const onDone = (error: unknown): void => {
        const status = (error as { statusCode?: number } | null)?.statusCode;
        if (error === null || error === undefined || (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError') resolve('again');
        else if (status === 410) resolve('relist');
        else reject(error instanceof Error ? error : new Error('watch failed', { cause: error }));
      };
      new Watch(options.kc).watch(options.path, { resourceVersion: state.rv, allowWatchBookmarks: true }, onEvent, onDone)
        .then((controller) => { abort = controller; }, reject);
    });
  }

  async function run(): Promise<void> {
    let backoffMs = 500;
    while (!stopped) {
      try {
        const state = { rv: await relist() };
        backoffMs = 500;
        while (!stopped && (await watchOnce(state)) === 'again');
      } catch (error) {
        if (stopped) return;
        options.log.warn({ err: error, path: options.path }, 'list/watch failed; relisting after back-off');
        await new Promise((resolve) => setTimeout(resolve, backoffMs));
        backoffMs = Math.min(backoffMs * 2, 10_000);
      }
    }
  }

  void run();
  return {
    items: () => [...cache.values()],
    synced,
    stop() {
      stopped = true;
      abort?.abort();
    },
  };
}
