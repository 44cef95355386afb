import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applicationName, haPorts, planReplication, renderReplConnInfo, replConnInfoNamesSelf, replicationPeers } from './replication.ts';

const A = '172.16.0.2';
const B = '172.16.0.3';
const C = '172.16.0.4';
const R = '172.17.0.2';

const valueOf = (settings: readonly { name: string; value: string }[], name: string) => settings.find((s) => s.name === name)?.value;

describe('replication settings', () => {
  it('names a member og_<ip with _>', () => {
    assert.equal(applicationName('172.16.0.2'), 'og_172_16_0_2');
  });

  it('uses dbport+1, +4 and +5 for the HA ports', () => {
    assert.deepEqual(haPorts(26000), { replication: 26001, service: 26004, heartbeat: 26005 });
  });

  it('renders a replconninfo line in 2.0\'s key order', () => {
    assert.equal(
      renderReplConnInfo(A, B, 5432),
      'localhost=172.16.0.2 localport=5433 localservice=5436 localheartbeatport=5437 remotehost=172.16.0.3 remoteport=5433 remoteservice=5436 remoteheartbeatport=5437',
    );
  });

  it('lists other locals in iplist order, then remotes, never self or a duplicate', () => {
    assert.deepEqual(replicationPeers({ selfIp: B, localIps: [A, B, C], remoteIps: [R, A] }), [A, C, R]);
  });

  it('fills one slot per peer and clears every other slot up to 8 (2.0 left stale slots)', () => {
    const plan = planReplication({ selfIp: A, localIps: [A, B, C], remoteIps: [], dbport: 5432 });
    assert.ok(plan.ok);
    assert.deepEqual(plan.peers, [B, C]);
    assert.equal(valueOf(plan.settings, 'replconninfo1'), `'${renderReplConnInfo(A, B, 5432)}'`);
    assert.equal(valueOf(plan.settings, 'replconninfo2'), `'${renderReplConnInfo(A, C, 5432)}'`);
    for (let slot = 3; slot <= 8; slot += 1) assert.equal(valueOf(plan.settings, `replconninfo${slot}`), "''");
    assert.equal(valueOf(plan.settings, 'application_name'), "'og_172_16_0_2'");
    assert.equal(valueOf(plan.settings, 'max_size_for_xlog_prune'), undefined);
  });

  it('gives a lone member the self-loop and max_size_for_xlog_prune, as 2.0', () => {
    const plan = planReplication({ selfIp: A, localIps: [A], remoteIps: [], dbport: 5432 });
    assert.ok(plan.ok);
    assert.equal(valueOf(plan.settings, 'replconninfo1'), `'${renderReplConnInfo('127.0.0.1', '127.0.0.1', 5432)}'`);
    assert.equal(valueOf(plan.settings, 'max_size_for_xlog_prune'), '1048576');
    assert.deepEqual(plan.peers, []);
  });

  it('links a lone member of a standby site to the remote site instead of itself', () => {
    const plan = planReplication({ selfIp: A, localIps: [A], remoteIps: [R], dbport: 26000 });
    assert.ok(plan.ok);
    assert.equal(valueOf(plan.settings, 'replconninfo1'), `'${renderReplConnInfo(A, R, 26000)}'`);
  });

  it('refuses more than 8 peers instead of overflowing the slots (weakness 21)', () => {
    const locals = Array.from({ length: 10 }, (_, i) => `10.0.0.${i + 1}`);
    const plan = planReplication({ selfIp: '10.0.0.1', localIps: locals, remoteIps: [], dbport: 5432 });
    assert.equal(plan.ok, false);
  });

  it('recognises a configured member by its own IP or the loopback in replconninfo1', () => {
    assert.ok(replConnInfoNamesSelf(renderReplConnInfo(A, B, 5432), A));
    assert.ok(replConnInfoNamesSelf(renderReplConnInfo('127.0.0.1', '127.0.0.1', 5432), A));
    assert.equal(replConnInfoNamesSelf(renderReplConnInfo(B, A, 5432), A), false);
  });
});
