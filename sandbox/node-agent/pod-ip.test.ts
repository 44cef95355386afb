import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { claimGraceMs, decidePodIp, isStaleClaim, parseIpRequest, type ClaimView, type IpClaim, type PoolState } from './pod-ip.ts';
import { assertSandboxAddress, isSandboxAddress } from '../address-guard.ts';

const pool = (inUse: [string, string][] = [], cooling: [string, number][] = []): PoolState => ({
  nodeIndex: 2, inUse: new Map(inUse), coolingUntil: new Map(cooling), nowMs: 1_000,
});

describe('pod IP allocation', () => {
  it('takes the first address of the calico annotation', () => {
    const request = parseIpRequest({ 'cni.projectcalico.org/ipAddrs': '["127.10.2.50","127.10.2.51"]' });
    assert.deepEqual(decidePodIp(request, 'u1', pool()), { ok: true, ip: '127.10.2.50' });
  });

  it('takes the kube-ovn annotation when calico is absent', () => {
    const request = parseIpRequest({ 'ovn.kubernetes.io/ip_address': '127.10.2.60' });
    assert.deepEqual(decidePodIp(request, 'u1', pool()), { ok: true, ip: '127.10.2.60' });
  });

  it('refuses an address outside 127.0.0.0/8 with a reason naming the range', () => {
    const result = decidePodIp(parseIpRequest({ 'cni.projectcalico.org/ipAddrs': '["10.0.0.5"]' }), 'u1', pool());
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.reason === 'InvalidPodIP' && result.message.includes('127.0.0.0/8'));
  });

  it('refuses a malformed calico annotation', () => {
    const result = decidePodIp(parseIpRequest({ 'cni.projectcalico.org/ipAddrs': '127.10.2.5' }), 'u1', pool());
    assert.ok(!result.ok && result.reason === 'InvalidPodIP');
  });

  it('refuses an address another pod already holds', () => {
    const result = decidePodIp(parseIpRequest({ 'cni.projectcalico.org/ipAddrs': '["127.10.2.7"]' }), 'u2', pool([['127.10.2.7', 'u1']]));
    assert.ok(!result.ok && result.reason === 'PodIPConflict' && result.message.includes('u1'));
  });

  it('keeps the address a pod already holds', () => {
    assert.deepEqual(decidePodIp({ kind: 'pool' }, 'u1', pool([['127.10.2.9', 'u1']])), { ok: true, ip: '127.10.2.9' });
  });

  it('hands out the lowest free pool address, skipping cooling ones', () => {
    const result = decidePodIp({ kind: 'pool' }, 'u3', pool([['127.10.2.2', 'u1']], [['127.10.2.3', 5_000]]));
    assert.deepEqual(result, { ok: true, ip: '127.10.2.4' });
  });

  it('reports an exhausted pool', () => {
    const full: [string, string][] = Array.from({ length: 253 }, (_, i) => [`127.10.2.${i + 2}`, `x${i}`]);
    const result = decidePodIp({ kind: 'pool' }, 'new', pool(full));
    assert.ok(!result.ok && result.reason === 'PodIPPoolExhausted');
  });

  it('takes the IPv4 address of a dual-stack annotation and accepts a /32 suffix', () => {
    assert.deepEqual(decidePodIp(parseIpRequest({ 'cni.projectcalico.org/ipAddrs': '["fd00::5","127.10.2.5/32"]' }), 'u1', pool()), { ok: true, ip: '127.10.2.5' });
    assert.deepEqual(decidePodIp(parseIpRequest({ 'ovn.kubernetes.io/ip_address': '127.10.2.6,fd00::6' }), 'u1', pool()), { ok: true, ip: '127.10.2.6' });
    const none = decidePodIp(parseIpRequest({ 'cni.projectcalico.org/ipAddrs': '["fd00::5"]' }), 'u1', pool());
    assert.ok(!none.ok && none.reason === 'InvalidPodIP' && none.message.includes('no IPv4 address'));
  });

  it('keeps the host range 127.0.x.x and .0/.255 addresses away from Pods', () => {
    for (const ip of ['127.0.0.1', '127.0.3.4', '127.10.2.0', '127.10.2.255']) {
      const result = decidePodIp(parseIpRequest({ 'ovn.kubernetes.io/ip_address': ip }), 'u1', pool());
      assert.ok(!result.ok && result.reason === 'InvalidPodIP' && result.message.includes('reserved'), ip);
    }
  });

  it('lets only the Pod that released a fixed IP take it back while it cools down', () => {
    const cooling = { ...pool([], [['127.10.2.50', 61_000]]), releasedBy: new Map([['127.10.2.50', 'ns/db-0']]) };
    const request = parseIpRequest({ 'cni.projectcalico.org/ipAddrs': '["127.10.2.50"]' });
    assert.deepEqual(decidePodIp(request, 'new-uid', cooling, 'ns/db-0'), { ok: true, ip: '127.10.2.50' });
    const other = decidePodIp(request, 'other', cooling, 'ns/other');
    assert.ok(!other.ok && other.reason === 'PodIPConflict' && other.message.includes('released by pod ns/db-0 and is reusable in 60 s'));
  });

  it('refuses the node address itself', () => {
    const result = decidePodIp(parseIpRequest({ 'ovn.kubernetes.io/ip_address': '127.10.2.1' }), 'u1', pool());
    assert.ok(!result.ok && result.reason === 'InvalidPodIP');
  });
});

describe('isStaleClaim', () => {
  const nowMs = 1_000_000;
  const claim = (uid: string, node: string, ageMs = claimGraceMs): IpClaim => ({ uid, namespace: 'ns', name: uid, node, claimedAtMs: nowMs - ageMs });
  const view = (extra: Partial<ClaimView> = {}): ClaimView => ({
    nodeName: 'node1', localUids: new Set(['here']), savedHere: (uid) => uid === 'saved', clusterUids: new Set(['alive']), nowMs, ...extra,
  });
  const cases: Array<[string, IpClaim, ClaimView, boolean]> = [
    ['a Pod this node holds the address for', claim('here', 'node1'), view(), false],
    ['a Pod of this node with saved state, not yet re-adopted', claim('saved', 'node1'), view(), false],
    ['a Pod of this node that left no state', claim('gone', 'node1'), view(), true],
    ['another node\'s Pod the cluster-wide watch shows', claim('alive', 'node2'), view(), false],
    ['another node\'s Pod gone from the watch', claim('gone', 'node2'), view(), true],
    ['another node\'s Pod gone from the watch, claimed a moment ago', claim('gone', 'node2', claimGraceMs - 1), view(), false],
    ['another node\'s Pod while the watch has not listed yet', claim('gone', 'node2'), view({ clusterUids: undefined }), false],
  ];
  for (const [what, held, seen, stale] of cases) {
    it(`${stale ? 'takes over' : 'respects'} the claim of ${what}`, () => assert.equal(isStaleClaim(held, seen), stale));
  }
});

describe('sandbox address guard', () => {
  it('accepts loopback and rejects everything else', () => {
    for (const ok of ['127.0.0.1', '127.10.3.4', '::1', '::ffff:127.0.0.1']) assert.equal(isSandboxAddress(ok), true, ok);
    for (const bad of ['10.0.0.1', '198.18.0.1', '0.0.0.0', 'localhost', '::', '128.0.0.1']) assert.equal(isSandboxAddress(bad), false, bad);
  });

  it('throws a coded error for a non-loopback destination', () => {
    assert.throws(() => assertSandboxAddress('192.168.1.162', 'probe'), { code: 'SBX_ERR_UNSAFE_ADDRESS', message: /refusing to probe "192\.168\.1\.162"/ });
  });
});
