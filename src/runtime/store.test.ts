import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { mapByLabel, mapToOwner, mapToSelf, firstOf, parseKey } from './keys.ts';
import { createStore } from './store.ts';
import { defineKind } from '../kube/kinds.ts';

const pod = (name: string, rv: string, extra: { ns?: string; labels?: Record<string, string>; owner?: string } = {}): V1Pod => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: {
    name, namespace: extra.ns ?? 'ns', resourceVersion: rv, ...(extra.labels ? { labels: extra.labels } : {}),
    ...(extra.owner ? { ownerReferences: [{ apiVersion: 'example.test/v1', kind: 'Widget', name: extra.owner, uid: `uid-${extra.owner}`, controller: true }] } : {}),
  },
});

describe('informer store', () => {
  it('finds objects by key, namespace, indexed and plain labels, and owner uid', () => {
    const store = createStore<V1Pod>(['cluster']);
    store.replace([
      pod('a-0', '1', { labels: { cluster: 'a', role: 'primary' }, owner: 'a' }),
      pod('a-1', '1', { labels: { cluster: 'a', role: 'standby' }, owner: 'a' }),
      pod('b-0', '1', { ns: 'other', labels: { cluster: 'b' } }),
    ]);
    assert.equal(store.get({ namespace: 'ns', name: 'a-1' })?.metadata?.name, 'a-1');
    assert.deepEqual(store.list({ labels: { cluster: 'a', role: 'standby' } }).map((p) => p.metadata?.name), ['a-1']);
    assert.deepEqual(store.list({ namespace: 'other' }).map((p) => p.metadata?.name), ['b-0']);
    assert.deepEqual(store.list({ labels: { role: 'primary' } }).map((p) => p.metadata?.name), ['a-0']);
    assert.deepEqual(store.listByOwner('uid-a').map((p) => p.metadata?.name).sort(), ['a-0', 'a-1']);
  });

  it('reports a relist as adds, updates (new resourceVersion only) and deletes, and keeps indexes right', () => {
    const store = createStore<V1Pod>(['cluster']);
    store.replace([pod('x', '1', { labels: { cluster: 'a' } }), pod('y', '1'), pod('z', '1')]);
    const changes = store.replace([pod('x', '2', { labels: { cluster: 'b' } }), pod('y', '1'), pod('w', '1')]);
    assert.deepEqual(changes.map((c) => `${c.type} ${c.object.metadata?.name ?? ''}`).sort(), ['add w', 'delete z', 'update x']);
    assert.deepEqual(store.list({ labels: { cluster: 'a' } }), []);
    assert.equal(store.list({ labels: { cluster: 'b' } }).length, 1);
    assert.equal(store.upsert(pod('y', '1')), undefined, 'same resourceVersion: no change');
  });
});

describe('work-queue keys', () => {
  const widget = defineKind({ group: 'example.test', version: 'v1', kind: 'Widget', plural: 'widgets', namespaced: true });

  it('maps an object to itself, to its owner of the given kind, or to the owner named by a label', () => {
    assert.deepEqual(mapToSelf(pod('p', '1')), ['ns/p']);
    assert.deepEqual(mapToOwner(widget)(pod('p', '1', { owner: 'w1' })), ['ns/w1']);
    assert.deepEqual(mapToOwner(widget)(pod('p', '1')), []);
    assert.deepEqual(mapByLabel('cluster')(pod('p', '1', { labels: { cluster: 'c1' } })), ['ns/c1']);
    assert.deepEqual(firstOf(mapToOwner(widget), mapByLabel('cluster'))(pod('p', '1', { labels: { cluster: 'c2' } })), ['ns/c2']);
  });

  it('parses namespaced and cluster-scoped keys', () => {
    assert.deepEqual(parseKey('ns/name'), { namespace: 'ns', name: 'name' });
    assert.deepEqual(parseKey('node-1'), { namespace: '', name: 'node-1' });
  });
});
