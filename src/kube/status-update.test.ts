import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { kubeApiErrorFromStatus } from './kube-api-error.ts';
import { updateStatusWithRetry, type StatusIo } from './status-update.ts';

type Obj = KubernetesObject & { status?: { phase?: string; count?: number; old?: string } };

function fakeIo(initial: Obj | undefined, conflicts: number) {
  let object = initial;
  const patches: object[] = [];
  const io: StatusIo<Obj> = {
    read: () => Promise.resolve(object === undefined ? undefined : structuredClone(object)),
    patch: (body) => {
      patches.push(body);
      if (conflicts-- > 0) {
        // Someone else wrote in between: the version moved.
        object = { ...object, metadata: { ...object?.metadata, resourceVersion: String(Number(object?.metadata?.resourceVersion) + 1) } };
        return Promise.reject(kubeApiErrorFromStatus('patch status of', 'x', 409, { reason: 'Conflict' }));
      }
      object = { ...object, status: { ...(body as { status: Obj['status'] }).status } };
      return Promise.resolve(object);
    },
  };
  return { io, patches };
}

const obj = (status: Obj['status']): Obj => ({ metadata: { name: 'c', namespace: 'ns', resourceVersion: '10' }, ...(status ? { status } : {}) });

describe('status update with optimistic lock', () => {
  it('sends a merge patch carrying the read resourceVersion and removing dropped keys', async () => {
    const { io, patches } = fakeIo(obj({ phase: 'Creating', old: 'x' }), 0);
    const outcome = await updateStatusWithRetry<Obj, NonNullable<Obj['status']>>(io, () => ({ phase: 'Ready' }));
    assert.equal(outcome.kind, 'patched');
    assert.deepEqual(patches, [{ metadata: { resourceVersion: '10' }, status: { phase: 'Ready', old: null } }]);
  });

  it('skips the write when the desired status equals the current one', async () => {
    const { io, patches } = fakeIo(obj({ phase: 'Ready' }), 0);
    const outcome = await updateStatusWithRetry<Obj, NonNullable<Obj['status']>>(io, (_o, s) => ({ ...s, phase: 'Ready' }));
    assert.equal(outcome.kind, 'unchanged');
    assert.equal(patches.length, 0);
  });

  it('re-reads and recomputes after a 409, then succeeds', async () => {
    const { io, patches } = fakeIo(obj({ count: 1 }), 2);
    const outcome = await updateStatusWithRetry<Obj, NonNullable<Obj['status']>>(io, (_o, s) => ({ count: (s?.count ?? 0) + 1 }));
    assert.deepEqual(outcome.kind === 'patched' ? outcome.attempts : 0, 3);
    assert.deepEqual(patches.map((p) => (p as { metadata: { resourceVersion: string } }).metadata.resourceVersion), ['10', '11', '12']);
  });

  it('gives up after the attempt budget and throws the conflict', async () => {
    const { io } = fakeIo(obj({}), 10);
    await assert.rejects(updateStatusWithRetry<Obj, NonNullable<Obj['status']>>(io, () => ({ phase: 'x' }), 3), (e: unknown) => (e as { status?: number }).status === 409);
  });

  it('reports a missing object as notFound', async () => {
    const { io } = fakeIo(undefined, 0);
    assert.deepEqual(await updateStatusWithRetry<Obj, NonNullable<Obj['status']>>(io, () => ({})), { kind: 'notFound' });
  });
});
