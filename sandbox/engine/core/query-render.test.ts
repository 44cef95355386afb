import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderPrefixedLine } from './log-line.ts';
import { renderFallbackQuery, renderQuerySections, type QueryRow } from './query-render.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures');

function row(text: string): QueryRow {
  return text.trim().split('\n').map((line) => {
    const [name = '', ...value] = line.split(' : ');
    return [name.trim(), value.join(' : ')] as const;
  });
}

describe('renderQuerySections', () => {
  it('reproduces the golden primary sample byte for byte, banner included', () => {
    const golden = readFileSync(join(fixtures, 'gs-ctl-query-primary.txt'), 'utf8');
    const banner = renderPrefixedLine({ at: new Date(2024, 4, 6, 10, 2, 0, 1), pid: 316, nodeName: '', tool: 'gs_ctl' }, 'gs_ctl query ,datadir is /var/lib/opengauss/data ');
    const ha = row('local_role : Primary\nstatic_connections : 1\ndb_state : Normal\ndetail_information : Normal');
    const sender = row(`sender_pid : 258
local_role : Primary
peer_role : Standby
peer_state : Normal
state : Streaming
sender_sent_location : 0/3000550
sender_write_location : 0/3000550
sender_flush_location : 0/3000550
sender_replay_location : 0/3000550
receiver_received_location : 0/3000550
receiver_write_location : 0/3000550
receiver_flush_location : 0/3000550
receiver_replay_location : 0/3000550
sync_percent : 100%
sync_state : Sync
sync_priority : 1
sync_most_available : On
channel : 172.11.0.101:5433-->172.11.0.102:53786`);
    assert.equal(`${banner}\n${renderQuerySections({ ha: [ha], senders: [sender], receivers: [] })}`, golden);
  });

  it('reproduces the golden streaming-standby sample byte for byte', () => {
    const golden = readFileSync(join(fixtures, 'gs-ctl-query-standby.txt'), 'utf8');
    const ha = row('local_role : Standby\nstatic_connections : 1\ndb_state : Normal\ndetail_information : Normal');
    const receiver = row(`receiver_pid : 1901181
local_role : Standby
peer_role : Primary
peer_state : Normal
state : Normal
sender_sent_location : 2/5C8
sender_write_location : 2/5C8
sender_flush_location : 2/5C8
sender_replay_location : 2/5C8
receiver_received_location : 2/5C8
receiver_write_location : 2/5C8
receiver_flush_location : 2/5C8
receiver_replay_location : 2/5C8
sync_percent : 100%
channel : 172.11.0.102:43350<--172.11.0.101:5433`);
    assert.equal(renderQuerySections({ ha: [ha], senders: [], receivers: [receiver] }), golden);
  });

  it('separates sender blocks with one blank line each', () => {
    const text = renderQuerySections({ ha: [], senders: [[['sender_pid', '1']], [['sender_pid', '2']]], receivers: [] });
    assert.match(text, /\tsender_pid {21}: 1\n\n\tsender_pid {21}: 2\n\n Receiver info:/);
  });

  it('prints the fallback layout with 8-space indents and unpadded titles', () => {
    const text = renderFallbackQuery([['local_role', 'Standby'], ['db_state', 'Unknown']]);
    assert.equal(text, ' HA state:\n        local_role                    : Standby\n        db_state                      : Unknown\n\n Senders info:\n        No information\n Receiver info:\n        No information\n');
  });
});
