// The watch transport (src/kube/watch-source.ts) against a fake HTTPS API server: the watch
// request it sends, newline-delimited events decoded as the loop expects them, and the three ways
// a stream ends: normally, refused with a Status, broken by a line that is not JSON; close()
// aborts the request. Reconnects and relists are the loop's, tested in src/kube/list-watch.test.ts.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { ErrorCodes, isOperatorError } from '../../src/errors.ts';
import { createKubeClient } from '../../src/kube/client.ts';
import { createConnection, type KubeConnection } from '../../src/kube/connection.ts';
import { Kinds } from '../../src/kube/kinds.ts';
import { isKubeApiError } from '../../src/kube/kube-api-error.ts';
import type { ListWatchSource, WatchEvent } from '../../src/kube/list-watch.ts';
import { createWatchSource } from '../../src/kube/watch-source.ts';
import { json, startFakeApiServer, status, type FakeApiServer } from '../support/fake-api-server.ts';

const line = (response: ServerResponse, event: object): boolean => response.write(`${JSON.stringify(event)}\n`);

async function collect<T>(events: AsyncIterable<T>): Promise<{ events: T[]; error?: unknown }> {
  const seen: T[] = [];
  try {
    for await (const event of events) seen.push(event);
    return { events: seen };
  } catch (error) {
    return { events: seen, error };
  }
}

describe('watch transport', () => {
  let fake: FakeApiServer;
  let connection: KubeConnection;
  let source: ListWatchSource<V1ConfigMap>;

  before(async () => {
    fake = await startFakeApiServer();
    connection = createConnection({ server: fake.url, ca: fake.ca, token: 'w4tch', source: 'test' });
    source = createWatchSource(connection, createKubeClient(connection), Kinds.ConfigMap, { namespace: 'ns', labelSelector: 'app=x' });
  });
  after(async () => {
    connection.close();
    await fake.close();
  });
  beforeEach(() => { fake.requests.length = 0; });

  it('sends one watch request and yields decoded events, bookmarks and ERROR events until the server ends the stream', async () => {
    fake.handle((_r, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      line(res, { type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: '5', creationTimestamp: '2026-01-02T03:04:05Z', managedFields: [] } } });
      // Two events in one chunk and one split over two chunks: framing is by line, not by chunk.
      res.write(`${JSON.stringify({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '6' } } })}\n${JSON.stringify({ type: 'DELETED', object: { metadata: { name: 'a' } } })}\n{"type":"ERR`);
      res.end(`OR","object":${JSON.stringify(status(410, 'Expired'))}}\n`);
    });
    const stream = source.watch({ resourceVersion: '4', timeoutSeconds: 300 });
    const { events, error } = await collect(stream.events);
    assert.equal(error, undefined);
    const request = fake.requests[0];
    assert.deepEqual([request?.path, request?.headers.authorization], ['/api/v1/namespaces/ns/configmaps', 'Bearer w4tch']);
    assert.deepEqual(Object.fromEntries(request?.query ?? []), { watch: 'true', allowWatchBookmarks: 'true', timeoutSeconds: '300', resourceVersion: '4', labelSelector: 'app=x' });
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'BOOKMARK', 'DELETED', 'ERROR']);
    const added = events[0] as Extract<WatchEvent<V1ConfigMap>, { object: unknown }>;
    assert.ok(added.object.metadata?.creationTimestamp instanceof Date);
    assert.equal((added.object.metadata as Record<string, unknown>)['managedFields'], undefined);
    assert.deepEqual(events[1], { type: 'BOOKMARK', resourceVersion: '6' });
    assert.deepEqual(events[3], { type: 'ERROR', status: 410, reason: 'Expired' });
  });

  it('ends with the Status of a refused watch as a KubeApiError', async () => {
    fake.handle((_r, res) => json(res, 403, status(403, 'Forbidden', 'configmaps is forbidden')));
    const { error } = await collect(source.watch({ resourceVersion: '1', timeoutSeconds: 300 }).events);
    assert.ok(isKubeApiError(error));
    assert.deepEqual([error.status, error.reason, error.retryable], [403, 'Forbidden', false]);
  });

  it('ends with a retryable watch error at a line that is not JSON, since an event may be lost', async () => {
    fake.handle((_r, res) => {
      res.writeHead(200);
      res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\nnot json\n');
    });
    const { events, error } = await collect(source.watch({ resourceVersion: '1', timeoutSeconds: 300 }).events);
    assert.equal(events.length, 1);
    assert.ok(isOperatorError(error, ErrorCodes.KUBE_WATCH) && error.retryable);
  });

  it('aborts the request on close(), ending the stream without an error', async () => {
    let closed: Promise<unknown> | undefined;
    fake.handle((_r, res) => {
      closed = once(res, 'close');
      res.writeHead(200);
      line(res, { type: 'ADDED', object: { metadata: { name: 'a' } } });
    });
    const stream = source.watch({ resourceVersion: '1', timeoutSeconds: 300 });
    const iterator = stream.events[Symbol.asyncIterator]();
    const first = await iterator.next();
    assert.equal(first.done ? undefined : first.value.type, 'ADDED');
    stream.close();
    assert.equal((await iterator.next()).done, true);
    await closed;
  });
});
