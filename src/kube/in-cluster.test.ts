import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, isOperatorError } from '../errors.ts';
import { inClusterConfig } from './in-cluster.ts';

describe('in-cluster config', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ogo-sa-'));
    await writeFile(join(dir, 'ca.crt'), 'CA-PEM');
  });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  it('points at the service address with the mounted CA and the token file (not its content: it rotates)', () => {
    const config = inClusterConfig({ host: '10.96.0.1', port: '443' }, dir);
    assert.equal(config.server, 'https://10.96.0.1:443');
    assert.equal(config.ca?.toString(), 'CA-PEM');
    assert.equal(config.tokenFile, join(dir, 'token'));
    assert.equal(config.token, undefined);
  });

  it('brackets an IPv6 service address', () => {
    assert.equal(inClusterConfig({ host: 'fd00::1', port: '443' }, dir).server, 'https://[fd00::1]:443');
  });

  it('refuses a missing port or a missing CA with a coded error', () => {
    assert.throws(() => inClusterConfig({ host: '10.96.0.1', port: undefined }, dir), (e) => isOperatorError(e, ErrorCodes.KUBE_CONFIG) && /KUBERNETES_SERVICE_PORT/.test(e.message));
    assert.throws(() => inClusterConfig({ host: '10.96.0.1', port: '443' }, join(dir, 'absent')), (e) => isOperatorError(e, ErrorCodes.KUBE_CONFIG) && /ca\.crt/.test(e.message));
  });
});
