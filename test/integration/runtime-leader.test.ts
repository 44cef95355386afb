// Leader election on a real Lease with controller-runtime's timings (15 s / 10 s / 2 s): one of
// two candidates wins; when the leader dies (its requests hang: no renewal, no release) the other
// takes over within 15 s; a clean release hands over at the next retry. About 20 s, mostly idle.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubernetesObject, V1Namespace } from '@kubernetes/client-node';
import type { OperatorError } from '../../src/errors.ts';
import { createKubeClient } from '../../src/kube/client.ts';
import { defineKind, Kinds } from '../../src/kube/kinds.ts';
import type { KubeClient } from '../../src/kube/port.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { createLeaderElector, type LeaderElector, type LeaseClient } from '../../src/runtime/leader-election.ts';
import { sharedConnection } from '../support/env.ts';

const connection = await sharedConnection();
const NamespaceKind = defineKind<V1Namespace>({ group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, model: 'V1Namespace' });

type Candidate = { elector: LeaderElector; state: { leading: boolean; startedAt: number; lost?: OperatorError; released: boolean }; kill: () => void };

function candidate(identity: string, lease: { namespace: string; name: string }): Candidate {
  const real = createKubeClient(connection);
  let dead = false;
  // A dead process sends nothing more: its calls never complete.
  const gate = <T>(call: () => Promise<T>): Promise<T> => (dead ? new Promise<T>(() => undefined) : call());
  const client: LeaseClient = {
    get: <T extends KubernetesObject>(...a: Parameters<KubeClient['get']>) => gate(() => real.get(...a) as Promise<T | undefined>),
    create: <T extends KubernetesObject>(...a: Parameters<KubeClient['create']>) => gate(() => real.create(...a) as Promise<T>),
    replace: <T extends KubernetesObject>(...a: Parameters<KubeClient['replace']>) => gate(() => real.replace(...a) as Promise<T>),
  };
  const state: Candidate['state'] = { leading: false, startedAt: 0, released: false };
  const elector = createLeaderElector({
    client, lease, identity, log: silentLogger(),
    onStartedLeading: () => { state.leading = true; state.startedAt = Date.now(); },
    onStoppedLeading: (error) => {
      state.leading = false;
      if (error) state.lost = error;
      else state.released = true;
    },
  });
  return { elector, state, kill: () => { dead = true; } };
}

async function until(what: string, cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('runtime: leader election on a real Lease', () => {
  const client = createKubeClient(connection);
  const ns = `rt-leader-${randomBytes(3).toString('hex')}`;
  const lease = { namespace: ns, name: 'rt-operator-lock' };
  const started: Candidate[] = [];

  before(async () => { await client.create(NamespaceKind, { metadata: { name: ns } }); });
  after(async () => {
    await Promise.all(started.map((c) => c.elector.stop()));
    await client.delete(NamespaceKind, { namespace: '', name: ns });
  });

  it('elects one of two; the other takes over within 15 s of the leader dying, and at once after a clean release', async () => {
    const a = candidate('rt-a', lease);
    const b = candidate('rt-b', lease);
    started.push(a, b);
    a.elector.start();
    b.elector.start();
    await until('a leader', () => a.state.leading || b.state.leading, 10_000);
    await sleep(2_500); // a couple of renewals, so the follower has observed the record change
    assert.equal(Number(a.state.leading) + Number(b.state.leading), 1, 'exactly one leads');
    const [leader, follower] = a.state.leading ? [a, b] : [b, a];

    leader.kill();
    const diedAt = Date.now();
    await until('the takeover', () => follower.state.leading, 20_000);
    const takeoverMs = follower.state.startedAt - diedAt;
    process.stdout.write(`# takeover after the leader died: ${(takeoverMs / 1000).toFixed(2)} s\n`);
    assert.ok(takeoverMs <= 15_000, `took over after ${takeoverMs} ms`);
    assert.ok(leader.state.lost, 'the dead leader would have stopped itself at its renew deadline');
    const held = await client.get(Kinds.Lease, lease);
    assert.equal(held?.spec?.holderIdentity, follower === a ? 'rt-a' : 'rt-b');
    assert.equal(held?.spec?.leaseTransitions, 1);
    assert.match(JSON.stringify(held?.spec?.renewTime), /\.\d{6}Z"$/, 'MicroTime has six fractional digits');

    const c = candidate('rt-c', lease);
    started.push(c);
    c.elector.start();
    await sleep(500);
    const releasedAt = Date.now();
    await follower.elector.stop();
    assert.equal(follower.state.released, true);
    await until('the takeover after release', () => c.state.leading, 5_000);
    const handoverMs = c.state.startedAt - releasedAt;
    process.stdout.write(`# takeover after a clean release: ${(handoverMs / 1000).toFixed(2)} s\n`);
    assert.ok(handoverMs < 3_000, `took over ${handoverMs} ms after the release`);
  });
});
