// Our own list+watch loop (reference 4.3): list, then watch from the list's resourceVersion with
// bookmarks and a jittered server timeout; reconnect at once after a normal end, back off only
// on errors, relist after 410 Gone. Each relist hands the consumer the full set, so a consumer
// that missed a deletion while disconnected still converges.
import type { ApiClient } from './api-client.ts';

export type WatchedObject = { metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string; managedFields?: unknown } };

export type WatchHandlers<T extends WatchedObject> = {
  readonly onList: (items: readonly T[]) => void;
  readonly onEvent: (type: 'ADDED' | 'MODIFIED' | 'DELETED', object: T) => void;
  readonly onError: (err: unknown) => void;
};

export type WatchLoop = { stop(): void; readonly synced: Promise<void> };

class GoneError extends Error {}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });

function strip<T extends WatchedObject>(object: T): T {
  if (object.metadata?.managedFields !== undefined) delete object.metadata.managedFields;
  return object;
}

export function startWatchLoop<T extends WatchedObject>(client: ApiClient, path: string, query: string, handlers: WatchHandlers<T>): WatchLoop {
  const controller = new AbortController();
  const { signal } = controller;
  let markSynced: () => void = () => undefined;
  const synced = new Promise<void>((resolve) => (markSynced = resolve));
  const sep = query === '' ? '' : '&';

  async function list(): Promise<string> {
    const res = await client.request('GET', `${path}?${query}`);
    const body = res.body as { items?: T[]; metadata?: { resourceVersion?: string } };
    handlers.onList((body.items ?? []).map(strip));
    markSynced();
    return body.metadata?.resourceVersion ?? '';
  }

  async function watchFrom(rv: string): Promise<string> {
    let version = rv;
    const timeoutSeconds = 240 + Math.floor(Math.random() * 120);
    const url = `${path}?${query}${sep}watch=1&allowWatchBookmarks=true&timeoutSeconds=${String(timeoutSeconds)}&resourceVersion=${encodeURIComponent(version)}`;
    await client.watch(url, (line) => {
      const event = JSON.parse(line) as { type: string; object: T & { code?: number } };
      if (event.type === 'ERROR') {
        if (event.object.code === 410) throw new GoneError('resourceVersion too old');
        throw new Error(`watch error event: ${line.slice(0, 200)}`);
      }
      version = event.object.metadata?.resourceVersion ?? version;
      if (event.type === 'BOOKMARK') return;
      handlers.onEvent(event.type as 'ADDED' | 'MODIFIED' | 'DELETED', strip(event.object));
    }, { idleMs: 90_000, signal });
    return version;
  }

  async function run(): Promise<void> {
    let rv: string | undefined;
    let failures = 0;
    while (!signal.aborted) {
      try {
        rv ??= await list();
        rv = await watchFrom(rv);
        failures = 0;
      } catch (err) {
        if (signal.aborted) return;
        if (!(err instanceof GoneError)) handlers.onError(err);
        rv = undefined;
        failures++;
        await sleep(Math.min(200 * 2 ** failures, 5_000), signal);
      }
    }
  }

  void run();
  return { stop: () => controller.abort(), synced };
}
