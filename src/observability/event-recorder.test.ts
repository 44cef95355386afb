import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { kubeApiErrorFromStatus } from '../kube/kube-api-error.ts';
import type { KubeClient, ObjectRef } from '../kube/port.ts';
import { createEventRecorder, truncateUtf8, type EventInput } from './event-recorder.ts';
import { silentLogger } from './logger.ts';

function fakeClient(failCreates = 0) {
  const created: Record<string, unknown>[] = [];
  const patched: { ref: ObjectRef; patch: object }[] = [];
  const client: Pick<KubeClient, 'create' | 'mergePatch'> = {
    create: <T extends KubernetesObject>(_k: unknown, o: T) => {
      if (failCreates-- > 0) return Promise.reject(kubeApiErrorFromStatus('create', 'events', 403, { reason: 'Forbidden' }));
      created.push(JSON.parse(JSON.stringify(o)) as Record<string, unknown>);
      return Promise.resolve(o);
    },
    mergePatch: <T extends KubernetesObject>(_k: unknown, ref: ObjectRef, patch: object) => {
      patched.push({ ref: { namespace: ref.namespace, name: ref.name }, patch: JSON.parse(JSON.stringify(patch)) as object });
      return Promise.resolve({} as T);
    },
  };
  return { client, created, patched };
}

const input: EventInput = {
  regarding: { apiVersion: 'example.test/v1', kind: 'Widget', metadata: { name: 'w1', namespace: 'ns', uid: 'u1' } },
  type: 'Normal', reason: 'Ready', action: 'Reconcile', note: 'all members ready',
};

describe('event recorder', () => {
  it('creates an events.k8s.io/v1 Event with a MicroTime eventTime and the reporting controller', async () => {
    const { client, created } = fakeClient();
    const recorder = createEventRecorder({ client, reportingInstance: 'op-7f9c', log: silentLogger(), now: () => Date.UTC(2026, 0, 1, 0, 0, 0, 5) });
    recorder.record(input);
    await recorder.flush();
    const event = created[0] ?? {};
    assert.equal(event['eventTime'], '2026-01-01T00:00:00.005000Z');
    assert.equal(event['reportingController'], 'opengauss.sig/operator');
    assert.equal(event['reportingInstance'], 'op-7f9c');
    assert.deepEqual(event['regarding'], { apiVersion: 'example.test/v1', kind: 'Widget', name: 'w1', namespace: 'ns', uid: 'u1' });
    assert.equal((event['metadata'] as { namespace: string }).namespace, 'ns');
  });

  it('turns a repeat within the window into a series update of the same Event', async () => {
    let t = 1_000_000;
    const { client, created, patched } = fakeClient();
    const recorder = createEventRecorder({ client, reportingInstance: 'op', log: silentLogger(), now: () => t });
    recorder.record(input);
    t += 10_000;
    recorder.record(input);
    t += 10_000;
    recorder.record(input);
    await recorder.flush();
    assert.equal(created.length, 1);
    const name = (created[0]?.['metadata'] as { name: string }).name;
    assert.deepEqual(patched.map((p) => [p.ref.name, (p.patch as { series: { count: number } }).series.count]), [[name, 2], [name, 3]]);
  });

  it('never throws or rejects when the API refuses, and keeps recording afterwards', async () => {
    const { client, created } = fakeClient(1);
    const recorder = createEventRecorder({ client, reportingInstance: 'op', log: silentLogger() });
    assert.doesNotThrow(() => recorder.record(input));
    recorder.record({ ...input, reason: 'Other' });
    await recorder.flush();
    assert.equal(created.length, 1);
  });

  it('cuts a note to 1 KB on a character boundary', () => {
    const note = truncateUtf8('é'.repeat(2000), 1024);
    assert.ok(Buffer.byteLength(note) <= 1024);
    assert.ok(note.endsWith('...') && !note.includes('\uFFFD'));
  });
});
