// Real claim files in a temporary directory; whether 127.0.0.1:<port> has a listener is faked.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSharedPortClaims, listensOnLoopback } from './shared-port-claims.ts';

describe('shared NodePort claims', () => {
  let dir = '';
  let listening = false;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'og-port-claims-'));
    listening = false;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const sandbox = (stateDir: string) => createSharedPortClaims({ stateDir, dir, isListening: () => listening });

  it('lets every agent of one sandbox serve a port and refuses another sandbox while it is served', () => {
    const [node1, node2, other] = [sandbox('/state/a'), sandbox('/state/a'), sandbox('/state/b')];
    assert.equal(node1(30001), undefined);
    assert.equal(node2(30001), undefined);
    listening = true;
    assert.equal(other(30001), '127.0.0.1:30001 is served by the sandbox of /state/a');
    assert.equal(other(30002), undefined, 'other ports stay free');
    assert.deepEqual(readdirSync(dir).sort(), ['30001', '30002'], 'no drafts left behind');
  });

  it('hands a port over once the sandbox holding it no longer listens there', () => {
    assert.equal(sandbox('/state/a')(30001), undefined);
    assert.equal(sandbox('/state/b')(30001), undefined);
    listening = true;
    assert.match(sandbox('/state/a')(30001) ?? '', /served by the sandbox of \/state\/b/);
  });
});

describe('listensOnLoopback', () => {
  const table = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 0100007F:7531 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1',
    '   1: 0100007F:7532 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 2 1',
    '   2: 00000000:7533 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3 1',
    '   3: 010A0A7F:7534 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4 1',
  ].join('\n');

  it('sees listeners on 127.0.0.1 and 0.0.0.0, not established sockets or other addresses', () => {
    assert.deepEqual([30001, 30002, 30003, 30004].map((port) => listensOnLoopback(table, port)), [true, false, true, false]);
  });
});
