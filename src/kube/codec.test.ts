import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { decodeObject } from './codec.ts';
import { defineKind, Kinds } from './kinds.ts';

describe('wire codec', () => {
  it('decodes a built-in kind like the generated APIs do (Date timestamps) and strips managedFields', () => {
    const raw = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', creationTimestamp: '2026-01-02T03:04:05Z', managedFields: [{ manager: 'x' }] }, status: { startTime: '2026-01-02T03:04:06Z' } };
    const pod: V1Pod = decodeObject(Kinds.Pod, raw);
    assert.ok(pod.metadata?.creationTimestamp instanceof Date);
    assert.ok(pod.status?.startTime instanceof Date);
    assert.equal((pod.metadata as Record<string, unknown>)['managedFields'], undefined);
  });

  it('leaves custom resources as plain JSON', () => {
    const kind = defineKind({ group: 'example.test', version: 'v1', kind: 'Widget', plural: 'widgets', namespaced: true });
    const raw = { apiVersion: 'example.test/v1', kind: 'Widget', metadata: { name: 'w', managedFields: [] }, spec: { size: 3 } };
    assert.deepEqual(decodeObject(kind, raw), { apiVersion: 'example.test/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 3 } });
  });
});
