import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseGsCtlQuery, receivedPosition } from './gs-ctl-query.ts';

// Samples from opengauss.md §2.3 with real TAB characters (the byte format of gs_ctl query).
const field = (name: string, value: string) => `\t${name.padEnd(30)} : ${value}`;
const title = (name: string) => ` ${`${name}:`.padEnd(20)}`;

const primaryOutput = [
  '[2024-05-06 10:02:00.001][316][][gs_ctl]: gs_ctl query ,datadir is /var/lib/opengauss/data ',
  title('HA state'),
  field('local_role', 'Primary'), field('static_connections', '2'), field('db_state', 'Normal'), field('detail_information', 'Normal'),
  '',
  title('Senders info'),
  field('sender_pid', '258'), field('local_role', 'Primary'), field('peer_role', 'Standby'), field('peer_state', 'Normal'),
  field('state', 'Streaming'), field('sender_sent_location', '0/3000550'), field('sender_write_location', '0/3000550'),
  field('sender_flush_location', '0/3000550'), field('sender_replay_location', '0/3000550'),
  field('receiver_received_location', '0/3000550'), field('receiver_write_location', '0/3000550'),
  field('receiver_flush_location', '0/3000550'), field('receiver_replay_location', '0/3000500'),
  field('sync_percent', '100%'), field('sync_state', 'Sync'), field('sync_priority', '1'), field('sync_most_available', 'On'),
  field('channel', '172.11.0.101:5433-->172.11.0.102:53786'),
  '',
  field('sender_pid', '259'), field('peer_role', 'Standby'), field('state', 'Catchup'),
  field('receiver_flush_location', '0/2000000'), field('sync_percent', '80%'), field('sync_state', 'Potential'),
  field('sync_priority', '2'), field('channel', '172.11.0.101:5433-->172.11.0.103:53790'),
  '',
  title('Receiver info'),
  'No information ',
  '',
].join('\n');

const standbyOutput = [
  title('HA state'),
  field('local_role', 'Standby'), field('static_connections', '1'), field('db_state', 'Normal'), field('detail_information', 'Normal'),
  '',
  title('Senders info'),
  'No information ',
  title('Receiver info'),
  field('receiver_pid', '1901181'), field('local_role', 'Standby'), field('peer_role', 'Primary'), field('peer_state', 'Normal'),
  field('state', 'Normal'), field('sender_sent_location', '2/5C8'), field('receiver_received_location', '2/5C8'),
  field('receiver_write_location', '2/5C8'), field('receiver_flush_location', '2/5C0'), field('receiver_replay_location', '2/5B0'),
  field('sync_percent', '100%'), field('channel', '172.11.0.102:43350<--172.11.0.101:5433'),
  '',
].join('\n');

// The fallback layout printed when gs_ctl's SQL connection fails (8 spaces, `name: `).
const fallbackOutput = [
  ' HA state:',
  '        local_role                    : Standby',
  '        static_connections            : 1',
  '        db_state                      : Need repair',
  '        detail_information            : Disconnected',
  '',
  ' Senders info:',
  '        No information',
  ' Receiver info:',
  '        No information',
].join('\n');

describe('parseGsCtlQuery', () => {
  it('reads the HA state of a primary', () => {
    const result = parseGsCtlQuery(primaryOutput);
    assert.ok(result.ok);
    assert.deepEqual(result.value.ha, { localRole: 'Primary', staticConnections: 2, dbState: 'Normal', detailInformation: 'Normal' });
  });

  it('takes each standby\'s IP from its own sender record, with its sync state and LSNs', () => {
    const result = parseGsCtlQuery(primaryOutput);
    assert.ok(result.ok);
    assert.deepEqual(result.value.senders.map((s) => [s.peerIp, s.syncState, s.syncPriority, s.syncPercent, s.receiverFlushLsn]), [
      ['172.11.0.102', 'Sync', 1, 100, 0x3000550n],
      ['172.11.0.103', 'Potential', 2, 80, 0x2000000n],
    ]);
    assert.equal(result.value.receivers.length, 0);
  });

  it('reads a streaming standby\'s receiver and its furthest position', () => {
    const result = parseGsCtlQuery(standbyOutput);
    assert.ok(result.ok);
    assert.equal(result.value.receivers[0]?.primaryIp, '172.11.0.101');
    assert.equal(result.value.senders.length, 0);
    assert.equal(receivedPosition(result.value), (2n << 32n) | 0x5c8n);
  });

  it('keeps multi-word values whole (2.0 cut `Need repair` to `Need`)', () => {
    const result = parseGsCtlQuery(fallbackOutput);
    assert.ok(result.ok);
    assert.equal(result.value.ha.dbState, 'Need repair');
    assert.equal(result.value.ha.detailInformation, 'Disconnected');
    assert.deepEqual([result.value.senders.length, result.value.receivers.length], [0, 0]);
  });

  it('returns a ParseError when there is no HA state (the process is gone)', () => {
    const result = parseGsCtlQuery('[2024-05-06 10:02:00.001][316][][gs_ctl]:  PID file "/d/postmaster.pid" does not exist.\nIs server running?\n');
    assert.equal(result.ok, false);
  });

  it('never throws, whatever the text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => typeof parseGsCtlQuery(text).ok === 'boolean'), { seed: 11, numRuns: 1000 });
  });
});
