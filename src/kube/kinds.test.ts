import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { collectionPath, defineKind, Kinds, objectPath } from './kinds.ts';

describe('resource paths', () => {
  const thing = defineKind({ group: 'example.test', version: 'v1', kind: 'Thing', plural: 'things', namespaced: false });

  it('builds collection paths for core and grouped kinds, namespaced or across namespaces', () => {
    assert.equal(collectionPath(Kinds.Pod, 'ns'), '/api/v1/namespaces/ns/pods');
    assert.equal(collectionPath(Kinds.Pod), '/api/v1/pods');
    assert.equal(collectionPath(Kinds.Lease, 'ns'), '/apis/coordination.k8s.io/v1/namespaces/ns/leases');
    assert.equal(collectionPath(thing, 'ignored'), '/apis/example.test/v1/things');
  });

  it('builds object paths, ignoring the namespace of cluster-scoped kinds and escaping the name', () => {
    assert.equal(objectPath(Kinds.Secret, { namespace: 'ns', name: 'a b' }), '/api/v1/namespaces/ns/secrets/a%20b');
    assert.equal(objectPath(thing, { namespace: '', name: 't' }), '/apis/example.test/v1/things/t');
  });
});
