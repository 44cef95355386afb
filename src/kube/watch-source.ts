// ListWatchSource on our connection: lists through KubeClient.list (paged, decoded) and watches
// with one streaming GET (`?watch=true`, newline-delimited JSON events) per watch. Reconnects,
// relists, the idle timeout and back-off are the loop's (list-watch.ts); a stream here only ends,
// normally (the server's timeoutSeconds) or with a KubeApiError.
import type { IncomingMessage } from 'node:http';
import { createInterface } from 'node:readline';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ErrorCodes, OperatorError } from '../errors.ts';
import { decodeObject } from './codec.ts';
import type { KubeConnection } from './connection.ts';
import { createEventChannel, type EventChannel } from './event-channel.ts';
import { collectionPath, kindLabel, type ResourceKind } from './kinds.ts';
import { kubeApiErrorFromStatus, toKubeApiError } from './kube-api-error.ts';
import type { ListWatchSource, WatchEvent, WatchStream } from './list-watch.ts';
import type { KubeClient } from './port.ts';

export type WatchScope = {
  /** Absent: all namespaces. */
  readonly namespace?: string;
  readonly labelSelector?: string;
};

type RawEvent = { type?: unknown; object?: unknown };
type RawStatus = { code?: unknown; reason?: unknown };
type RawObject = { metadata?: { resourceVersion?: string } };

/** The longest refusal body read for its Status reason. */
const refusalBodyLimit = 64 * 1024;

function toEvent<T extends KubernetesObject>(kind: ResourceKind<T>, raw: RawEvent): WatchEvent<T> | undefined {
  switch (raw.type) {
    case 'ADDED':
    case 'MODIFIED':
    case 'DELETED':
      return { type: raw.type, object: decodeObject(kind, raw.object) };
    case 'BOOKMARK':
      return { type: 'BOOKMARK', resourceVersion: (raw.object as RawObject | undefined)?.metadata?.resourceVersion ?? '' };
    case 'ERROR': {
      const status = (raw.object ?? {}) as RawStatus;
      return { type: 'ERROR', status: typeof status.code === 'number' ? status.code : 0, reason: typeof status.reason === 'string' ? status.reason : 'Unknown' };
    }
    default:
      return undefined; // an event type newer than this code: ignoring it is what client-go does
  }
}

/** A refused watch (403, 410, 500…) ends the stream with the Status the server sent. */
function refuse(response: IncomingMessage, channel: EventChannel<unknown>, target: string): void {
  const chunks: Buffer[] = [];
  let size = 0;
  response.on('data', (chunk: Buffer) => {
    if (size < refusalBodyLimit) chunks.push(chunk);
    size += chunk.length;
  });
  response.on('end', () => channel.end(kubeApiErrorFromStatus('watch', target, response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
  response.on('error', (error) => channel.end(toKubeApiError(error, 'watch', target)));
}

/** Pushes one event per line; a line that is not JSON ends the stream (an event may be lost: relist). */
function follow<T extends KubernetesObject>(response: IncomingMessage, channel: EventChannel<WatchEvent<T>>, kind: ResourceKind<T>): void {
  const target = kindLabel(kind);
  const lines = createInterface({ input: response, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (channel.ended || line === '') return;
    let raw: RawEvent;
    try {
      raw = JSON.parse(line) as RawEvent;
    } catch (error) {
      channel.end(new OperatorError(ErrorCodes.KUBE_WATCH, `watch of ${target} sent a line that is not JSON`, { retryable: true, cause: error }));
      response.destroy();
      return;
    }
    const event = toEvent(kind, raw);
    if (event !== undefined) channel.push(event);
  });
  lines.on('close', () => channel.end());
  // readline re-emits the response's errors (a reset, or our own abort in close()): handled once each.
  const fail = (error: unknown): void => channel.end(toKubeApiError(error, 'watch', target));
  response.on('error', fail);
  lines.on('error', fail);
}

export function createWatchSource<T extends KubernetesObject>(connection: KubeConnection, client: KubeClient, kind: ResourceKind<T>, scope: WatchScope = {}): ListWatchSource<T> {
  const path = collectionPath(kind, scope.namespace);
  const target = kindLabel(kind);
  return {
    list: () => client.list(kind, {
      ...(scope.namespace === undefined ? {} : { namespace: scope.namespace }),
      ...(scope.labelSelector === undefined ? {} : { labelSelector: scope.labelSelector }),
    }),
    watch({ resourceVersion, timeoutSeconds }): WatchStream<T> {
      const channel = createEventChannel<WatchEvent<T>>();
      const request = connection.open({
        method: 'GET', path, headers: { Accept: 'application/json' },
        query: { watch: true, allowWatchBookmarks: true, timeoutSeconds, resourceVersion, labelSelector: scope.labelSelector },
      });
      // After close() the channel has ended already, so the abort's own error is dropped.
      request.on('error', (error) => channel.end(toKubeApiError(error, 'watch', target)));
      request.on('response', (response) => {
        if (response.statusCode === 200) follow(response, channel, kind);
        else refuse(response, channel as EventChannel<unknown>, target);
      });
      request.end();
      return {
        events: channel,
        close: () => {
          channel.end();
          request.destroy();
        },
      };
    },
  };
}
