import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aCluster } from './fixtures/a-cluster.ts';
import { buildInitSecret } from './secret.ts';

describe('buildInitSecret', () => {
  const cluster = aCluster().build();

  it('stores 2.0\'s dbpasswd as is under both of 2.0\'s keys', () => {
    const secret = buildInitSecret(cluster, { kind: 'base64', value: 'SzhTQGFkbWlu' });
    assert.equal(secret.metadata?.name, 'ogtest-init-sc');
    assert.deepEqual(secret.data, { INIT_PASSWD: 'SzhTQGFkbWlu', DBPAASOP_PASSWD: 'SzhTQGFkbWlu' });
  });

  it('base64-encodes a plain password (from passwordSecretRef or generated), UTF-8 included', () => {
    const secret = buildInitSecret(cluster, { kind: 'plain', value: 'Pässwort#1' });
    assert.equal(Buffer.from(secret.data?.['INIT_PASSWD'] ?? '', 'base64').toString('utf8'), 'Pässwort#1');
  });

  it('has no owner, so the password outlives the cluster with its volumes', () => {
    assert.equal(buildInitSecret(cluster, { kind: 'plain', value: 'x' }).metadata?.ownerReferences, undefined);
  });
});
