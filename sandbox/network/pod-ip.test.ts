import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CALICO_IP_ANNOTATION as CALICO, KUBE_OVN_IP_ANNOTATION as OVN, nodeIpOf, parseRequestedPodIp, reservedReason } from './pod-ip.ts';
import { createPodIpPool } from './pod-ip-pool.ts';
import type { IpResult } from './pod-ip.ts';

const reasonOf = (result: IpResult): string => (result.ok ? `unexpected ${result.ip}` : result.reason);

describe('parseRequestedPodIp', () => {
  const cases: ReadonlyArray<[string, Record<string, string> | undefined, string]> = [
    ['no annotations', undefined, 'none'],
    ['unrelated annotations', { a: 'b' }, 'none'],
    ['a calico JSON array', { [CALICO]: '["127.10.1.7"]' }, 'requested 127.10.1.7'],
    ['a calico /32 entry', { [CALICO]: '["127.10.1.7/32"]' }, 'requested 127.10.1.7'],
    ['a calico dual-stack pair, keeping IPv4', { [CALICO]: '["fd00::7", "127.10.1.7"]' }, 'requested 127.10.1.7'],
    ['a kube-ovn address', { [OVN]: '127.10.2.9' }, 'requested 127.10.2.9'],
    ['a kube-ovn dual-stack list', { [OVN]: '127.10.2.9,fd00::9' }, 'requested 127.10.2.9'],
    ['both annotations agreeing', { [CALICO]: '["127.10.2.9"]', [OVN]: '127.10.2.9' }, 'requested 127.10.2.9'],
  ];
  for (const [what, annotations, expected] of cases) {
    it(`reads ${what}`, () => {
      const result = parseRequestedPodIp(annotations);
      assert.equal(result.kind === 'requested' ? `requested ${result.ip}` : result.kind, expected);
    });
  }

  const invalid: ReadonlyArray<[string, Record<string, string>, RegExp]> = [
    ['a non-loopback calico address', { [CALICO]: '["10.0.0.5"]' }, /only use 127\.0\.0\.0\/8/],
    ['a non-loopback kube-ovn address', { [OVN]: '192.168.1.5' }, /only use 127\.0\.0\.0\/8/],
    ['calico text that is not JSON', { [CALICO]: '127.10.1.7' }, /JSON array/],
    ['a calico array of numbers', { [CALICO]: '[1]' }, /JSON array of address strings/],
    ['two IPv4 addresses', { [CALICO]: '["127.10.1.7","127.10.1.8"]' }, /exactly one IPv4/],
    ['garbage in kube-ovn', { [OVN]: 'pod-a' }, /exactly one IPv4/],
    ['annotations that disagree', { [CALICO]: '["127.10.1.7"]', [OVN]: '127.10.1.8' }, /asks for 127\.10\.1\.7 but/],
  ];
  for (const [what, annotations, reason] of invalid) {
    it(`refuses ${what} with a reason`, () => {
      const result = parseRequestedPodIp(annotations);
      assert.equal(result.kind, 'invalid');
      assert.match(result.kind === 'invalid' ? result.reason : '', reason);
    });
  }
});

describe('reservedReason and nodeIpOf', () => {
  it('keeps the host loopback, node IPs and .0/.255 away from Pods', () => {
    for (const ip of ['127.0.0.1', '127.0.5.5', '127.10.3.1', '127.10.3.0', '127.10.3.255']) assert.ok(reservedReason(ip), ip);
    for (const ip of ['127.10.3.2', '127.10.3.254', '127.200.0.1']) assert.equal(reservedReason(ip), undefined, ip);
  });
  it('names node n 127.10.n.1 and refuses indexes outside 1..254', () => {
    assert.equal(nodeIpOf(3), '127.10.3.1');
    assert.throws(() => nodeIpOf(0), RangeError);
  });
});

describe('createPodIpPool', () => {
  const pod = (n: number, extra: Partial<{ requested: string; nowMs: number; takenElsewhere: ReadonlySet<string> }> = {}) =>
    ({ uid: `uid-${n}`, name: `ns/pod-${n}`, nowMs: 0, ...extra });

  it('hands out 127.10.n.2 onwards and answers the same IP again for the same Pod', () => {
    const pool = createPodIpPool({ nodeIndex: 2 });
    assert.deepEqual(pool.allocate(pod(1)), { ok: true, ip: '127.10.2.2' });
    assert.deepEqual(pool.allocate(pod(2)), { ok: true, ip: '127.10.2.3' });
    assert.deepEqual(pool.allocate(pod(1)), { ok: true, ip: '127.10.2.2' });
    assert.equal(pool.ipOf('uid-2'), '127.10.2.3');
  });

  it('does not give a released IP to another Pod within a minute', () => {
    const pool = createPodIpPool({ nodeIndex: 1 });
    pool.allocate(pod(1));
    pool.release('uid-1', 1000);
    assert.deepEqual(pool.allocate(pod(2, { requested: '127.10.1.2', nowMs: 30_000 })), { ok: false, reason: '127.10.1.2 was released by Pod ns/pod-1 and is reusable in 31 s' });
    assert.deepEqual(pool.allocate(pod(2, { requested: '127.10.1.2', nowMs: 61_000 })), { ok: true, ip: '127.10.1.2' });
  });

  it('skips quarantined addresses when allocating from the pool, wrapping around after .254', () => {
    const pool = createPodIpPool({ nodeIndex: 1, reuseDelayMs: 60_000 });
    for (let n = 0; n < 253; n++) assert.equal(pool.allocate(pod(n)).ok, true);
    assert.match(reasonOf(pool.allocate(pod(999))), /no free address left in 127\.10\.1\.2-254/);
    pool.release('uid-0', 0);
    assert.equal(pool.allocate(pod(999, { nowMs: 1000 })).ok, false, 'still quarantined');
    assert.deepEqual(pool.allocate(pod(999, { nowMs: 60_000 })), { ok: true, ip: '127.10.1.2' });
  });

  it('lets a recreated Pod with the same name take its fixed IP back at once', () => {
    const pool = createPodIpPool({ nodeIndex: 1 });
    pool.allocate({ uid: 'old', name: 'ns/db-0', requested: '127.10.1.50', nowMs: 0 });
    pool.release('old', 0);
    assert.deepEqual(pool.allocate({ uid: 'new', name: 'ns/db-0', requested: '127.10.1.50', nowMs: 10 }), { ok: true, ip: '127.10.1.50' });
  });

  it('refuses duplicates on this node and on other nodes, and reserved addresses', () => {
    const pool = createPodIpPool({ nodeIndex: 1 });
    pool.allocate(pod(1, { requested: '127.10.1.9' }));
    assert.deepEqual(pool.allocate(pod(2, { requested: '127.10.1.9' })), { ok: false, reason: '127.10.1.9 is already the IP of Pod ns/pod-1' });
    assert.deepEqual(pool.allocate(pod(3, { requested: '127.10.2.9', takenElsewhere: new Set(['127.10.2.9']) })), { ok: false, reason: '127.10.2.9 is already the IP of a Pod on another node' });
    assert.match(reasonOf(pool.allocate(pod(4, { requested: '127.10.1.1' }))), /node IP of node 1/);
    assert.deepEqual(pool.allocate(pod(5, { takenElsewhere: new Set(['127.10.1.2']) })), { ok: true, ip: '127.10.1.3' });
  });

  it('never changes the IP of a Pod that already has one', () => {
    const pool = createPodIpPool({ nodeIndex: 1 });
    pool.allocate(pod(1));
    assert.equal(pool.allocate(pod(1, { requested: '127.10.1.77' })).ok, false);
  });

  it('re-adopts running Pods after an agent restart and refuses a conflicting adoption', () => {
    const pool = createPodIpPool({ nodeIndex: 1 });
    assert.deepEqual(pool.adopt('uid-1', 'ns/a', '127.10.1.5'), { ok: true, ip: '127.10.1.5' });
    assert.equal(pool.adopt('uid-2', 'ns/b', '127.10.1.5').ok, false);
    assert.equal(pool.allocate(pod(3, { requested: '127.10.1.5' })).ok, false);
  });
});
