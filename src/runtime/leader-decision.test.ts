import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { V1MicroTime } from '@kubernetes/client-node';
import { decide, leaseSpecFor, observe, releasedSpec, type LeaseView } from './leader-decision.ts';

const lease = (holder: string, rv: string, durationSeconds = 15): LeaseView => ({ holder, durationSeconds, resourceVersion: rv, transitions: 3 });

describe('leader election decisions', () => {
  const table: [string, LeaseView | undefined, number | undefined, number, string][] = [
    ['creates a missing lease', undefined, undefined, 0, 'create'],
    ['renews its own lease', lease('me', '1'), 0, 100_000, 'renew'],
    ['acquires a released lease (empty holder) at once', lease('', '1', 1), 0, 0, 'acquire'],
    ['waits while another holder\'s record was seen changing less than the duration ago', lease('other', '1'), 1_000, 15_999, 'wait'],
    ['acquires once the duration has passed since the record was seen', lease('other', '1'), 1_000, 16_000, 'acquire'],
  ];
  for (const [name, view, seenAt, now, want] of table) {
    it(name, () => {
      const obs = view && seenAt !== undefined ? { resourceVersion: view.resourceVersion, atMs: seenAt } : undefined;
      assert.equal(decide({ lease: view, observation: obs, identity: 'me', nowMs: now, leadMs: 0 }).kind, want);
    });
  }

  it('dates a new record from the previous poll, bounded by the maximum poll gap, and keeps the date of an unchanged one', () => {
    const first = observe(undefined, lease('other', '1'), { nowMs: 10_000, lastPollMs: undefined, maxPollGapMs: 2_400 });
    assert.deepEqual(first, { resourceVersion: '1', atMs: 10_000 });
    assert.equal(observe(first, lease('other', '1'), { nowMs: 12_000, lastPollMs: 10_000, maxPollGapMs: 2_400 }), first);
    assert.deepEqual(observe(first, lease('other', '2'), { nowMs: 12_000, lastPollMs: 10_000, maxPollGapMs: 2_400 }), { resourceVersion: '2', atMs: 10_000 });
    assert.deepEqual(observe(first, lease('other', '3'), { nowMs: 30_000, lastPollMs: 10_000, maxPollGapMs: 2_400 }), { resourceVersion: '3', atMs: 27_600 }, 'a stalled poll does not date the change too early');
  });

  it('takes over no later than the lease duration after the leader\'s last renewal (polls every 2 s)', () => {
    // Leader renews at t = 0, 2, 4 s and dies right after 4 s; the candidate polls at odd seconds.
    let obs; let lastPoll: number | undefined; let takeover = -1;
    for (let t = 1_000; t < 30_000 && takeover < 0; t += 2_000) {
      const rv = String(Math.min(Math.floor(t / 2_000), 2));
      obs = observe(obs, lease('leader', rv), { nowMs: t, lastPollMs: lastPoll, maxPollGapMs: 2_400 });
      lastPoll = t;
      if (decide({ lease: lease('leader', rv), observation: obs, identity: 'me', nowMs: t }).kind === 'acquire') takeover = t;
    }
    assert.ok(takeover > 0 && takeover - 4_000 <= 15_000, `took over ${takeover - 4_000} ms after the last renewal`);
    assert.ok(takeover - 4_000 > 10_000, 'but only after the leader\'s renew deadline');
  });

  it('starts the takeover slightly before expiry so the takeover write lands within the duration', () => {
    const view = lease('other', '1');
    const observation = { resourceVersion: '1', atMs: 0 };
    assert.equal(decide({ lease: view, observation, identity: 'me', nowMs: 14_749 }).kind, 'wait');
    assert.equal(decide({ lease: view, observation, identity: 'me', nowMs: 14_750 }).kind, 'acquire');
  });

  it('writes MicroTime stamps, bumps transitions on acquire and releases with an empty holder and 1 s', () => {
    const now = new V1MicroTime(Date.UTC(2026, 0, 1, 0, 0, 0, 123));
    const acquired = leaseSpecFor('acquire', { holderIdentity: 'old', leaseTransitions: 4 }, { identity: 'me', durationSeconds: 15, now });
    assert.deepEqual({ h: acquired.holderIdentity, t: acquired.leaseTransitions, d: acquired.leaseDurationSeconds }, { h: 'me', t: 5, d: 15 });
    assert.equal(JSON.stringify(acquired.renewTime), '"2026-01-01T00:00:00.123000Z"');
    const renewed = leaseSpecFor('renew', acquired, { identity: 'me', durationSeconds: 15, now });
    assert.equal(renewed.leaseTransitions, 5);
    const released = releasedSpec(renewed, now);
    assert.deepEqual({ h: released.holderIdentity, d: released.leaseDurationSeconds }, { h: '', d: 1 });
  });
});
