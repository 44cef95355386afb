// ListWatchSource on client-node: lists through KubeClient.list (paged, decoded) and watches
// with client-node's Watch, used only as an HTTP transport (auth, TLS, newline-delimited JSON).
// Its own inactivity abort stays as a backstop above our idle timer; reconnects, relists and
// back-off are the loop's (list-watch.ts), because client-node's ListWatch stops for good on errors.
import { Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { decodeObject } from './codec.ts';
import { createEventChannel } from './event-channel.ts';
import { collectionPath, kindLabel, type ResourceKind } from './kinds.ts';
import { toKubeApiError } from './kube-api-error.ts';
import type { ListWatchSource, WatchEvent, WatchStream } from './list-watch.ts';
import type { KubeClient } from './port.ts';

export type WatchScope = {
  /** Absent: all namespaces. */
  readonly namespace?: string;
  readonly labelSelector?: string;
};

/** client-node's inactivity abort; above the loop's 90 s idle timer so ours fires first. */
const transportIdleMs = 120_000;

type RawStatus = { code?: unknown; reason?: unknown };
type RawObject = { metadata?: { resourceVersion?: string } };

function toEvent<T extends KubernetesObject>(kind: ResourceKind<T>, type: string, object: unknown): WatchEvent<T> | undefined {
  switch (type) {
    case 'ADDED':
    case 'MODIFIED':
    case 'DELETED':
      return { type, object: decodeObject(kind, object) };
    case 'BOOKMARK':
      return { type: 'BOOKMARK', resourceVersion: (object as RawObject).metadata?.resourceVersion ?? '' };
    case 'ERROR': {
      const status = object as RawStatus;
      return { type: 'ERROR', status: typeof status.code === 'number' ? status.code : 0, reason: typeof status.reason === 'string' ? status.reason : 'Unknown' };
    }
    default:
      return undefined; // an event type newer than this code: ignoring it is what client-go does
  }
}

export function createWatchSource<T extends KubernetesObject>(kc: KubeConfig, client: KubeClient, kind: ResourceKind<T>, scope: WatchScope = {}): ListWatchSource<T> {
  const path = collectionPath(kind, scope.namespace);
  const target = kindLabel(kind);
  return {
    list: () => client.list(kind, {
      ...(scope.namespace === undefined ? {} : { namespace: scope.namespace }),
      ...(scope.labelSelector === undefined ? {} : { labelSelector: scope.labelSelector }),
    }),
    watch({ resourceVersion, timeoutSeconds }): WatchStream<T> {
      const channel = createEventChannel<WatchEvent<T>>();
      const watch = new Watch(kc);
      // Declared private in 2.0.1 but read on every request; its 30 s default would abort quiet
      // watches as errors (a relist each time). Pinned version; watch-source test covers it.
      (watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = transportIdleMs;
      const query = { allowWatchBookmarks: true, timeoutSeconds, resourceVersion, labelSelector: scope.labelSelector };
      const onEvent = (type: string, object: unknown): void => {
        const event = toEvent(kind, type, object);
        if (event !== undefined) channel.push(event);
      };
      const onDone = (error: unknown): void => {
        if (error === null || error === undefined || channel.ended) channel.end();
        else channel.end(toKubeApiError(error, 'watch', target));
      };
      let controller: AbortController | undefined;
      watch.watch(path, query, onEvent, onDone).then((c) => {
        controller = c;
        if (channel.ended) c.abort();
      }, (error: unknown) => channel.end(toKubeApiError(error, 'watch', target)));
      return {
        events: channel,
        close: () => {
          channel.end();
          controller?.abort();
        },
      };
    },
  };
}
