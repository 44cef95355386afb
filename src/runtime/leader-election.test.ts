import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubernetesObject, V1Lease } from '@kubernetes/client-node';
import type { OperatorError } from '../errors.ts';
import { kubeApiErrorFromStatus } from '../kube/kube-api-error.ts';
import { silentLogger } from '../observability/logger.ts';
import { createLeaderElector, type LeaseClient } from './leader-election.ts';

// An in-memory Lease with the API server's compare-and-swap on resourceVersion.
function fakeLeaseServer() {
  let stored: V1Lease | undefined;
  let rv = 0;
  const clientFor = (partitioned: { value: boolean }): LeaseClient => {
    const hang = <T>(): Promise<T> => new Promise<T>(() => undefined);
    return {
      get: <T extends KubernetesObject>() => (partitioned.value ? hang<T | undefined>() : Promise.resolve(structuredClone(stored) as T | undefined)),
      create: <T extends KubernetesObject>(_k: unknown, o: T) => {
        if (partitioned.value) return hang<T>();
        if (stored) return Promise.reject(kubeApiErrorFromStatus('create', 'lease', 409, { reason: 'AlreadyExists' }));
        stored = { ...(o as V1Lease), metadata: { ...o.metadata, resourceVersion: String(++rv) } };
        return Promise.resolve(structuredClone(stored) as T);
      },
      replace: <T extends KubernetesObject>(_k: unknown, o: T) => {
        if (partitioned.value) return hang<T>();
        if (o.metadata?.resourceVersion !== stored?.metadata?.resourceVersion) return Promise.reject(kubeApiErrorFromStatus('replace', 'lease', 409, { reason: 'Conflict' }));
        stored = { ...(o as V1Lease), metadata: { ...o.metadata, resourceVersion: String(++rv) } };
        return Promise.resolve(structuredClone(stored) as T);
      },
    };
  };
  return { clientFor, lease: () => stored };
}

// Lease durations are whole seconds on the wire, so 1 s is the smallest scale.
const timing = { leaseDurationMs: 1000, renewDeadlineMs: 600, retryPeriodMs: 100 };

function candidate(server: ReturnType<typeof fakeLeaseServer>, identity: string) {
  const partitioned = { value: false };
  const state = { leading: false, startedAt: 0, lost: undefined as OperatorError | undefined, released: false };
  const elector = createLeaderElector({
    ...timing, client: server.clientFor(partitioned), identity, log: silentLogger(),
    lease: { namespace: 'ns', name: 'op-lock' },
    onStartedLeading: () => { state.leading = true; state.startedAt = Date.now(); },
    onStoppedLeading: (error) => { state.leading = false; if (error) state.lost = error; else state.released = true; },
  });
  return { elector, state, partitioned };
}

const until = async (cond: () => boolean, ms: number): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
};

describe('leader elector (scaled-down timings against a fake Lease)', () => {
  it('elects exactly one of two candidates; a clean release hands over within one retry period', async () => {
    const server = fakeLeaseServer();
    const a = candidate(server, 'a');
    const b = candidate(server, 'b');
    a.elector.start();
    b.elector.start();
    await until(() => a.state.leading || b.state.leading, 1000);
    await sleep(200);
    assert.equal(Number(a.state.leading) + Number(b.state.leading), 1);
    const [leader, other] = a.state.leading ? [a, b] : [b, a];
    const stoppedAt = Date.now();
    await leader.elector.stop();
    assert.equal(leader.state.released, true);
    assert.equal(server.lease()?.spec?.holderIdentity, '');
    await until(() => other.state.leading, 1000);
    assert.ok(other.state.startedAt - stoppedAt < timing.retryPeriodMs * 3, `took over ${other.state.startedAt - stoppedAt} ms after the release`);
    assert.equal(server.lease()?.spec?.leaseTransitions, 1);
    await other.elector.stop();
  });

  it('takes over after the lease duration when the leader goes silent, and the silent leader reports loss first', async () => {
    const server = fakeLeaseServer();
    const a = candidate(server, 'a');
    a.elector.start();
    await until(() => a.state.leading, 1000);
    const b = candidate(server, 'b');
    b.elector.start();
    try {
      await sleep(250);
      a.partitioned.value = true; // its requests hang from now on: no renewal, no release
      const silentAt = Date.now();
      await until(() => b.state.leading, 3000);
      const takeover = b.state.startedAt - silentAt;
      assert.ok(takeover <= timing.leaseDurationMs + 50, `took over after ${takeover} ms`);
      assert.ok(takeover > timing.renewDeadlineMs, 'not before the old leader gave up');
      assert.ok(a.state.lost, 'the old leader gave up');
      assert.equal(a.state.lost.code, 'OGO_ERR_LEADER_LOST');
      assert.equal(a.elector.healthy, false);
    } finally {
      await b.elector.stop();
    }
  });
});
