import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { collectionPath, Kinds, defineKind } from './kinds.ts';

describe('watch transport assumptions about client-node 2.0.1', () => {
  it('still has the inactivity timeout field we raise above our idle timer (a rename would make quiet watches fail every 30 s)', () => {
    const watch = new Watch(new KubeConfig()) as unknown as Record<string, unknown>;
    assert.equal(watch['requestTimeoutMs'], 30_000);
  });

  it('builds collection paths for core and grouped kinds, namespaced or across namespaces', () => {
    assert.equal(collectionPath(Kinds.Pod, 'ns'), '/api/v1/namespaces/ns/pods');
    assert.equal(collectionPath(Kinds.Pod), '/api/v1/pods');
    assert.equal(collectionPath(Kinds.Lease, 'ns'), '/apis/coordination.k8s.io/v1/namespaces/ns/leases');
    const cluster = defineKind({ group: 'example.test', version: 'v1', kind: 'Thing', plural: 'things', namespaced: false });
    assert.equal(collectionPath(cluster, 'ignored'), '/apis/example.test/v1/things');
  });
});
