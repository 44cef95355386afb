import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRemoteTrustLine, planHbaEntries, renderHbaArgument } from './pg-hba.ts';

describe('pg_hba entries', () => {
  const args = planHbaEntries({ peers: ['10.0.0.2', '10.9.0.1'], retiredPeers: ['10.0.0.7'] }).map(renderHbaArgument);

  it('comments out 2.0\'s trust lines for current and retired peers and its open replication line', () => {
    assert.deepEqual(args.slice(0, 4), [
      'host all all 10.0.0.2/32',
      'host all all 10.9.0.1/32',
      'host all all 10.0.0.7/32',
      'host replication backupuser 0.0.0.0/0',
    ]);
  });

  it('lets clients in with md5 and replication only from peers, by /32, with sha256', () => {
    assert.deepEqual(args.slice(4), [
      'host replication all 10.0.0.7/32',
      'host all all 0.0.0.0/0 md5',
      'host replication all 10.0.0.2/32 sha256',
      'host replication all 10.9.0.1/32 sha256',
    ]);
  });

  it('never grants trust to anyone', () => {
    assert.ok(planHbaEntries({ peers: ['10.0.0.2'] }).every((e) => e.method !== undefined || !renderHbaArgument(e).endsWith('trust')));
    assert.ok(args.every((a) => !a.includes('trust')));
  });

  it('recognises remote trust lines and leaves loopback and password lines alone', () => {
    assert.ok(isRemoteTrustLine('host all all 10.0.0.2/32 trust'));
    assert.ok(isRemoteTrustLine('host all all 10.0.0.0 255.0.0.0 trust'));
    assert.equal(isRemoteTrustLine('host all all 127.0.0.1/32 trust'), false);
    assert.equal(isRemoteTrustLine('host all all ::1/128 trust'), false);
    assert.equal(isRemoteTrustLine('local all all trust'), false);
    assert.equal(isRemoteTrustLine('host all all 0.0.0.0/0 md5'), false);
    assert.equal(isRemoteTrustLine('# host all all 10.0.0.2/32 trust'), false);
  });
});
