// The Kubernetes adapter and the informer against the real API server of the shared control
// plane: server-side apply, optimistic-lock status writes, preconditioned deletes, Events, and an
// informer following creates, updates and deletes. Uses ConfigMaps and a Widget CRD of a test group.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubernetesObjectApi, type KubernetesObject, type V1ConfigMap, type V1CustomResourceDefinition, type V1JSONSchemaProps, type V1Namespace } from '@kubernetes/client-node';
import { createKubeClient } from '../../src/kube/client.ts';
import type { KubeConnection } from '../../src/kube/connection.ts';
import { defineKind, Kinds } from '../../src/kube/kinds.ts';
import type { KubeClient } from '../../src/kube/port.ts';
import { createWatchSource } from '../../src/kube/watch-source.ts';
import { createEventRecorder } from '../../src/observability/event-recorder.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { createInformer } from '../../src/runtime/informer.ts';
import { sharedConnection, sharedKubeConfig } from '../support/env.ts';

const NamespaceKind = defineKind<V1Namespace>({ group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, model: 'V1Namespace' });
const CrdKind = defineKind<V1CustomResourceDefinition>({
  group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', namespaced: false, model: 'V1CustomResourceDefinition',
});
type Widget = KubernetesObject & { spec?: { size?: number }; status?: { count?: number; phase?: string } };
const WidgetKind = defineKind<Widget>({ group: 'rt.ogo-test.example.com', version: 'v1', kind: 'Widget', plural: 'widgets', namespaced: true });

// The adapter sends objects as JSON, so a field goes by its wire name; client-node's model type
// knows only its TypeScript name (x_kubernetes_preserve_unknown_fields), hence the cast.
const preserveUnknown = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } as V1JSONSchemaProps;

const widgetCrd: V1CustomResourceDefinition = {
  metadata: { name: 'widgets.rt.ogo-test.example.com' },
  spec: {
    group: WidgetKind.group, scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [{
      name: 'v1', served: true, storage: true, subresources: { status: {} },
      schema: { openAPIV3Schema: { type: 'object', properties: {
        spec: preserveUnknown,
        status: preserveUnknown,
      } } },
    }],
  },
};

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('runtime: Kubernetes adapter against the real API server', () => {
  let connection: KubeConnection;
  let client: KubeClient;
  const ns = `rt-client-${randomBytes(3).toString('hex')}`;

  before(async () => {
    connection = await sharedConnection();
    client = createKubeClient(connection);
    await client.create(NamespaceKind, { metadata: { name: ns } });
    await client.apply(CrdKind, widgetCrd);
    await until('the Widget CRD to be established', async () => {
      const crd = await client.get(CrdKind, { namespace: '', name: widgetCrd.metadata?.name ?? '' });
      return crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
    });
  });

  after(async () => {
    await client.delete(NamespaceKind, { namespace: '', name: ns });
  });

  it('merge-patches labels and annotations onto an object, keeping the ones it already has', async () => {
    const ref = { namespace: ns, name: 'labelled' };
    await client.create(Kinds.ConfigMap, { metadata: { name: ref.name, namespace: ns, labels: { keep: 'yes' } }, data: { a: '1' } });
    await client.mergePatch(Kinds.ConfigMap, ref, { metadata: { labels: { role: 'primary' }, annotations: { note: 'x' } } });
    const patched = await client.get(Kinds.ConfigMap, ref);
    assert.deepEqual(patched?.metadata?.labels, { keep: 'yes', role: 'primary' });
    assert.equal(patched?.metadata?.annotations?.['note'], 'x');
    await client.mergePatch(Kinds.ConfigMap, ref, { metadata: { labels: { role: null } } });
    assert.deepEqual((await client.get(Kinds.ConfigMap, ref))?.metadata?.labels, { keep: 'yes' });
  });

  it('applies server-side idempotently under the opengauss-operator field manager', async () => {
    const desired: V1ConfigMap = { metadata: { name: 'ssa', namespace: ns, labels: { app: 'x' } }, data: { a: '1' } };
    const first = await client.apply(Kinds.ConfigMap, desired);
    const second = await client.apply(Kinds.ConfigMap, desired);
    assert.equal(second.metadata?.resourceVersion, first.metadata?.resourceVersion, 'a no-op apply does not write');
    const changed = await client.apply(Kinds.ConfigMap, { ...desired, data: { a: '2' } });
    assert.notEqual(changed.metadata?.resourceVersion, first.metadata?.resourceVersion);
    const raw = await KubernetesObjectApi.makeApiClient(sharedKubeConfig()).read<V1ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa', namespace: ns } });
    assert.deepEqual(raw.metadata?.managedFields?.map((m) => [m.manager, m.operation]), [['opengauss-operator', 'Apply']]);
    assert.equal((first.metadata as Record<string, unknown>)['managedFields'], undefined, 'the adapter strips managedFields');
  });

  it('writes status with an optimistic lock, retrying concurrent writers\' 409s until every increment lands', async () => {
    await client.apply(WidgetKind, { apiVersion: 'rt.ogo-test.example.com/v1', kind: 'Widget', metadata: { name: 'w1', namespace: ns }, spec: { size: 1 } });
    const ref = { namespace: ns, name: 'w1' };
    const increment = () => client.updateStatus<Widget, NonNullable<Widget['status']>>(WidgetKind, ref, (_o, s) => ({ ...s, count: (s?.count ?? 0) + 1 }));
    const outcomes = await Promise.all([increment(), increment(), increment()]);
    const final = await client.get(WidgetKind, ref);
    assert.equal(final?.status?.count, 3);
    assert.ok(outcomes.some((o) => o.kind === 'patched' && o.attempts > 1), 'at least one writer hit a 409 and retried');
    const unchanged = await client.updateStatus<Widget, NonNullable<Widget['status']>>(WidgetKind, ref, (_o, s) => s);
    assert.equal(unchanged.kind, 'unchanged');
    assert.equal(final.spec?.size, 1, 'the spec is untouched');
  });

  it('deletes only when the uid precondition holds, and reports a second delete as notFound', async () => {
    const cm = await client.create(Kinds.ConfigMap, { metadata: { name: 'del', namespace: ns } });
    const ref = { namespace: ns, name: 'del' };
    await assert.rejects(client.delete(Kinds.ConfigMap, ref, { preconditions: { uid: 'not-the-uid' } }), (e: unknown) => (e as { status?: number }).status === 409);
    assert.equal(await client.delete(Kinds.ConfigMap, ref, { preconditions: { uid: cm.metadata?.uid ?? '' } }), 'deleted');
    assert.equal(await client.delete(Kinds.ConfigMap, ref), 'notFound');
    assert.equal(await client.get(Kinds.ConfigMap, ref), undefined);
  });

  it('records an events.k8s.io Event and folds a repeat into its series', async () => {
    const widget = await client.get(WidgetKind, { namespace: ns, name: 'w1' });
    assert.ok(widget);
    const recorder = createEventRecorder({ client, reportingInstance: 'rt-test-0', log: silentLogger() });
    const input = { regarding: widget, type: 'Normal' as const, reason: 'Ready', action: 'Reconcile', note: 'widget ready' };
    recorder.record(input);
    recorder.record(input);
    await recorder.flush();
    const { items } = await client.list(Kinds.Event, { namespace: ns });
    const ours = items.filter((e) => e.reportingController === 'opengauss.sig/operator');
    assert.equal(ours.length, 1);
    assert.equal(ours[0]?.series?.count, 2);
    assert.equal(ours[0]?.regarding?.uid, widget.metadata?.uid);
  });

  it('keeps an informer in step with creates, updates and deletes that match its label selector', async () => {
    const source = createWatchSource(connection, client, Kinds.ConfigMap, { namespace: ns, labelSelector: 'rt=watched' });
    const informer = createInformer({ kind: Kinds.ConfigMap, source, log: silentLogger() });
    const seen: string[] = [];
    informer.addHandler({
      onAdd: (o) => seen.push(`add ${o.metadata?.name ?? ''}`),
      onUpdate: (_old, o) => seen.push(`update ${o.metadata?.name ?? ''} ${o.data?.['v'] ?? ''}`),
      onDelete: (o) => seen.push(`delete ${o.metadata?.name ?? ''}`),
    });
    informer.start();
    try {
      await informer.waitForSync();
      await client.apply(Kinds.ConfigMap, { metadata: { name: 'watched', namespace: ns, labels: { rt: 'watched' } }, data: { v: '1' } });
      await client.apply(Kinds.ConfigMap, { metadata: { name: 'ignored', namespace: ns, labels: { rt: 'other' } } });
      await until('the add', () => informer.cache.get({ namespace: ns, name: 'watched' }) !== undefined);
      await client.apply(Kinds.ConfigMap, { metadata: { name: 'watched', namespace: ns, labels: { rt: 'watched' } }, data: { v: '2' } });
      await until('the update', () => informer.cache.get({ namespace: ns, name: 'watched' })?.data?.['v'] === '2');
      await client.delete(Kinds.ConfigMap, { namespace: ns, name: 'watched' });
      await until('the delete', () => informer.cache.get({ namespace: ns, name: 'watched' }) === undefined);
      assert.deepEqual(seen, ['add watched', 'update watched 2', 'delete watched']);
      assert.equal(informer.cache.get({ namespace: ns, name: 'ignored' }), undefined);
      assert.ok(informer.cache.list({ namespace: ns }).every((o) => o.metadata?.creationTimestamp instanceof Date), 'watch objects are decoded like API results');
    } finally {
      await informer.stop();
    }
  });
});
