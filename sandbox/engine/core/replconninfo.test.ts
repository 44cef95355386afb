import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseReplConnInfo, peerOf, peersOf, renderChannelConnInfos, renderPrimaryConnInfo } from './replconninfo.ts';

const entry = 'localhost=10.0.0.1 localport=5433 localheartbeatport=5437 localservice=5436 remotehost=10.0.0.2 remoteport=5433 remoteheartbeatport=5437 remoteservice=5436';

describe('replconninfo', () => {
  it('reads the keys openGauss parses, by substring', () => {
    assert.deepEqual(parseReplConnInfo(entry), { iscascade: false, localhost: '10.0.0.1', remotehost: '10.0.0.2', localport: 5433, remoteport: 5433 });
  });

  it('treats an empty slot as no entry', () => {
    assert.equal(parseReplConnInfo(''), undefined);
  });

  it('maps the peer HA port to its server port with this node\'s own offset (P+1 or the 1.0 P+2)', () => {
    const parsed = parseReplConnInfo(entry);
    assert.ok(parsed);
    assert.deepEqual(peerOf(parsed, 5432), { host: '10.0.0.2', port: 5432 });
    const p2 = parseReplConnInfo('localhost=a localport=5434 remotehost=b remoteport=5434');
    assert.ok(p2);
    assert.deepEqual(peerOf(p2, 5432), { host: 'b', port: 5432 });
  });

  it('lists each peer once', () => {
    const parsed = parseReplConnInfo(entry);
    assert.ok(parsed);
    assert.equal(peersOf([parsed, parsed], 5432).length, 1);
  });

  it('builds one multi-host conninfo that only accepts a read-write peer', () => {
    const text = renderPrimaryConnInfo([{ host: '127.0.0.2', port: 5432 }, { host: '127.0.0.3', port: 6432 }], {
      user: 'omm', passfile: '/d/og_replpass', applicationName: 'dn_6002', readWriteOnly: true,
    });
    assert.equal(text, 'host=127.0.0.2,127.0.0.3 port=5432,6432 user=omm passfile=/d/og_replpass application_name=dn_6002 target_session_attrs=read-write connect_timeout=2');
  });

  it('renders every rotation of the peer order for channel cycling, the replconninfo order first', () => {
    const options = { user: 'omm', passfile: '/d/og_replpass', applicationName: 'dn_1', readWriteOnly: true };
    const peers = [{ host: 'a', port: 1 }, { host: 'b', port: 2 }, { host: 'c', port: 3 }];
    const rotations = renderChannelConnInfos(peers, options);
    assert.deepEqual(rotations.map((c) => /host=(\S+) port=(\S+)/.exec(c)?.slice(1).join(' ')), ['a,b,c 1,2,3', 'b,c,a 2,3,1', 'c,a,b 3,1,2']);
    assert.equal(rotations[0], renderPrimaryConnInfo(peers, options));
    assert.deepEqual(renderChannelConnInfos(peers.slice(0, 1), options), []);
  });
});
