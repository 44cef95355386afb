// Two node agents' IPAMs sharing one claim directory (real files in a temporary directory), with
// cluster-wide Pod views that lag, as they do when two Pods start on two nodes at the same moment.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { createIpClaims } from './ip-claims.ts';
import { createIpam, type Ipam } from './ipam.ts';
import { claimGraceMs } from './pod-ip.ts';

const fixed = (ip: string) => ({ 'cni.projectcalico.org/ipAddrs': JSON.stringify([ip]) });
const aPod = (name: string, annotations?: Record<string, string>, ip?: string): V1Pod => ({
  metadata: { name, namespace: 'ns', uid: `uid-${name}`, ...(annotations ? { annotations } : {}) },
  status: { phase: 'Running', ...(ip ? { podIP: ip } : {}) },
});

describe('node IPAM with sandbox-wide claims', () => {
  let dir = '';
  let nowMs = 1_000_000;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'og-ipam-'));
    nowMs = 1_000_000;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const node = (index: number, saved: readonly string[] = []): Ipam =>
    createIpam({ nodeIndex: index, nodeName: `node${index}`, claims: createIpClaims(dir), savedHere: (uid) => saved.includes(uid), now: () => nowMs });

  it('refuses the second of two Pods on two nodes asking for one address before either status is published', () => {
    const [node1, node2] = [node(1), node(2)];
    assert.deepEqual(node1.assign(aPod('a', fixed('127.10.1.50'))), { ok: true, ip: '127.10.1.50' });
    const second = node2.assign(aPod('b', fixed('127.10.1.50')));
    assert.ok(!second.ok && second.reason === 'PodIPConflict' && second.message.includes('uid-a'), JSON.stringify(second));
  });

  it('skips pool addresses another node handed to a Pod that asked for them', () => {
    assert.equal(node(1).assign(aPod('a', fixed('127.10.2.2'))).ok, true);
    assert.deepEqual(node(2).assign(aPod('b')), { ok: true, ip: '127.10.2.3' });
  });

  it('frees the address for another node once the holder releases it', () => {
    const [node1, node2] = [node(1), node(2)];
    node1.assign(aPod('a', fixed('127.10.1.50')));
    node1.release('127.10.1.50');
    assert.deepEqual(node2.assign(aPod('b', fixed('127.10.1.50'))), { ok: true, ip: '127.10.1.50' });
  });

  it('takes over the claim of another node\'s Pod once the cluster-wide watch no longer shows it', () => {
    node(1).assign(aPod('a', fixed('127.10.1.50')));
    const node2 = node(2);
    node2.setClusterPods([aPod('a', undefined, '127.10.1.50')]);
    assert.equal(node2.assign(aPod('b', fixed('127.10.1.50'))).ok, false, 'the holder is alive');
    node2.setClusterPods([]);
    assert.equal(node2.assign(aPod('b', fixed('127.10.1.50'))).ok, false, 'claimed a moment ago: the watch may lag');
    nowMs += claimGraceMs;
    assert.deepEqual(node2.assign(aPod('b', fixed('127.10.1.50'))), { ok: true, ip: '127.10.1.50' });
  });

  it('after an agent restart, keeps the claims of Pods it still runs and takes over those of Pods that left no state', () => {
    node(1).assign(aPod('kept', fixed('127.10.1.50')));
    node(1).assign(aPod('gone', fixed('127.10.1.51')));
    const restarted = node(1, ['uid-kept']);
    assert.equal(restarted.assign(aPod('new', fixed('127.10.1.50'))).ok, false);
    assert.deepEqual(restarted.assign(aPod('new', fixed('127.10.1.51'))), { ok: true, ip: '127.10.1.51' });
  });

  it('re-asserts the claim of a re-adopted Pod', () => {
    node(1).restore('127.10.1.50', 'uid-a', 'ns/a');
    const second = node(2).assign(aPod('b', fixed('127.10.1.50')));
    assert.ok(!second.ok && second.message.includes('uid-a'));
  });
});
