// The REST client (src/kube/client.ts over rest.ts and connection.ts) against a fake HTTPS API
// server: the requests it sends (paths, verbs, queries, content types, bodies, credentials) and
// what it makes of the answers (decoding, paging, 404s, error mapping). The real API server's
// semantics are covered by test/integration/runtime-client.test.ts.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ErrorCodes } from '../../src/errors.ts';
import { createKubeClient } from '../../src/kube/client.ts';
import { createConnection, type KubeConnection } from '../../src/kube/connection.ts';
import { defineKind, Kinds } from '../../src/kube/kinds.ts';
import { KubeApiError } from '../../src/kube/kube-api-error.ts';
import type { KubeClient } from '../../src/kube/port.ts';
import { json, startFakeApiServer, status, type FakeApiServer, type RecordedRequest } from '../support/fake-api-server.ts';

type Widget = KubernetesObject & { status?: { count?: number } };
const WidgetKind = defineKind<Widget>({ group: 'example.test', version: 'v1', kind: 'Widget', plural: 'widgets', namespaced: true });
const configMap = (name: string, extra: object = {}): object => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns', resourceVersion: '7', creationTimestamp: '2026-01-02T03:04:05Z', managedFields: [{ manager: 'x' }] }, ...extra,
});

describe('Kubernetes REST client', () => {
  let fake: FakeApiServer;
  let connection: KubeConnection;
  let client: KubeClient;
  const last = (): RecordedRequest => fake.requests.at(-1) as RecordedRequest;

  before(async () => {
    fake = await startFakeApiServer();
    connection = createConnection({ server: fake.url, ca: fake.ca, clientCert: fake.clientCert, clientKey: fake.clientKey, token: 't0k', source: 'test' });
    client = createKubeClient(connection);
  });
  after(async () => {
    connection.close();
    await fake.close();
  });
  beforeEach(() => { fake.requests.length = 0; });

  it('gets an object with the credentials, decoded and without managedFields; a 404 is undefined', async () => {
    fake.handle((r, res) => (r.path.endsWith('/here') ? json(res, 200, configMap('here')) : json(res, 404, status(404, 'NotFound'))));
    const got = await client.get(Kinds.ConfigMap, { namespace: 'ns', name: 'here' });
    assert.equal(last().method, 'GET');
    assert.equal(last().headers.authorization, 'Bearer t0k');
    assert.equal(last().clientCn, 'fake-user', 'the client certificate is presented');
    assert.ok(got?.metadata?.creationTimestamp instanceof Date);
    assert.equal((got.metadata as Record<string, unknown>)['managedFields'], undefined);
    assert.equal(await client.get(Kinds.ConfigMap, { namespace: 'ns', name: 'gone' }), undefined);
    assert.equal(last().path, '/api/v1/namespaces/ns/configmaps/gone');
  });

  it('lists page by page with the continue token, setting apiVersion and kind on the items', async () => {
    fake.handle((r, res) => json(res, 200, r.query.get('continue') === null
      ? { kind: 'ConfigMapList', metadata: { resourceVersion: '10', continue: 'page2' }, items: [{ metadata: { name: 'a' } }] }
      : { kind: 'ConfigMapList', metadata: { resourceVersion: '11' }, items: [{ metadata: { name: 'b' } }] }));
    const listed = await client.list(Kinds.ConfigMap, { namespace: 'ns', labelSelector: 'app=x', fieldSelector: 'metadata.name!=c' });
    assert.deepEqual(listed.items.map((i) => [i.apiVersion, i.kind, i.metadata?.name]), [['v1', 'ConfigMap', 'a'], ['v1', 'ConfigMap', 'b']]);
    assert.equal(listed.resourceVersion, '11');
    assert.deepEqual(fake.requests.map((r) => [r.path, r.query.get('labelSelector'), r.query.get('fieldSelector'), r.query.get('limit'), r.query.get('continue')]), [
      ['/api/v1/namespaces/ns/configmaps', 'app=x', 'metadata.name!=c', '500', null],
      ['/api/v1/namespaces/ns/configmaps', 'app=x', 'metadata.name!=c', '500', 'page2'],
    ]);
  });

  it('applies server-side with the field manager and force, as the full typed object', async () => {
    fake.handle((r, res) => json(res, 200, JSON.parse(r.body)));
    await client.apply(Kinds.ConfigMap, { metadata: { name: 'cm', namespace: 'ns' }, data: { a: '1' } });
    assert.equal(last().method, 'PATCH');
    assert.equal(last().path, '/api/v1/namespaces/ns/configmaps/cm');
    assert.equal(last().headers['content-type'], 'application/apply-patch+yaml');
    assert.deepEqual([last().query.get('fieldManager'), last().query.get('force')], ['opengauss-operator', 'true']);
    assert.deepEqual(JSON.parse(last().body), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns' }, data: { a: '1' } });
  });

  it('creates in the collection (a namespaced object without namespace goes to default), replaces with PUT, merge-patches as given', async () => {
    fake.handle((r, res) => json(res, r.method === 'POST' ? 201 : 200, configMap('cm')));
    await client.create(Kinds.ConfigMap, { metadata: { name: 'cm' } });
    await client.replace(Kinds.ConfigMap, { metadata: { name: 'cm', namespace: 'ns', resourceVersion: '7' } });
    await client.mergePatch(Kinds.ConfigMap, { namespace: 'ns', name: 'cm' }, { metadata: { labels: { role: null } } });
    assert.deepEqual(fake.requests.map((r) => [r.method, r.path, r.headers['content-type']]), [
      ['POST', '/api/v1/namespaces/default/configmaps', 'application/json'],
      ['PUT', '/api/v1/namespaces/ns/configmaps/cm', 'application/json'],
      ['PATCH', '/api/v1/namespaces/ns/configmaps/cm', 'application/merge-patch+json'],
    ]);
    assert.deepEqual(JSON.parse(fake.requests[2]?.body ?? ''), { metadata: { labels: { role: null } } });
  });

  it('writes status through the status subresource with the read resourceVersion, retrying a 409', async () => {
    let patches = 0;
    fake.handle((r, res) => {
      if (r.method === 'GET') return json(res, 200, { apiVersion: 'example.test/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'ns', resourceVersion: String(5 + patches) }, status: { count: patches } });
      patches++;
      if (patches === 1) return json(res, 409, status(409, 'Conflict', 'the object has been modified'));
      return json(res, 200, { apiVersion: 'example.test/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'ns' }, status: { count: 9 } });
    });
    const outcome = await client.updateStatus<Widget, NonNullable<Widget['status']>>(WidgetKind, { namespace: 'ns', name: 'w' }, () => ({ count: 9 }));
    assert.equal(outcome.kind, 'patched');
    assert.equal(outcome.kind === 'patched' ? outcome.attempts : 0, 2);
    const statusPatches = fake.requests.filter((r) => r.method === 'PATCH');
    assert.deepEqual(statusPatches.map((r) => [r.path, r.headers['content-type'], (JSON.parse(r.body) as { metadata: { resourceVersion: string } }).metadata.resourceVersion]), [
      ['/apis/example.test/v1/namespaces/ns/widgets/w/status', 'application/merge-patch+json', '5'],
      ['/apis/example.test/v1/namespaces/ns/widgets/w/status', 'application/merge-patch+json', '6'],
    ]);
  });

  it('deletes with preconditions and propagation in DeleteOptions; a 404 is notFound', async () => {
    fake.handle((r, res) => (r.path.endsWith('/gone') ? json(res, 404, status(404, 'NotFound')) : json(res, 200, status(200, ''))));
    assert.equal(await client.delete(Kinds.Pod, { namespace: 'ns', name: 'p' }, { preconditions: { uid: 'u1' }, propagationPolicy: 'Background', gracePeriodSeconds: 0 }), 'deleted');
    assert.deepEqual(JSON.parse(last().body), { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: 'u1' }, propagationPolicy: 'Background', gracePeriodSeconds: 0 });
    assert.equal(await client.delete(Kinds.Pod, { namespace: 'ns', name: 'gone' }), 'notFound');
  });

  it('maps an error answer to a KubeApiError with status and reason, never the body in the message', async () => {
    fake.handle((_r, res) => json(res, 422, status(422, 'Invalid', 'Secret "db" is invalid: data[password]: Invalid value: "hunter2"')));
    const error = await client.apply(Kinds.Secret, { metadata: { name: 'db', namespace: 'ns' } }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof KubeApiError);
    assert.deepEqual([error.status, error.reason, error.code, error.retryable], [422, 'Invalid', ErrorCodes.KUBE_API, false]);
    assert.equal(error.message, 'apply secrets ns/db failed: 422 Invalid');
    assert.doesNotMatch(error.message, /hunter2/);
  });

  it('maps a connection that drops without an answer to a retryable Unreachable', async () => {
    fake.handle((_r, res) => res.socket?.destroy());
    const error = await client.get(Kinds.Pod, { namespace: 'ns', name: 'p' }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof KubeApiError);
    assert.deepEqual([error.status, error.reason, error.retryable], [0, 'Unreachable', true]);
  });
});
