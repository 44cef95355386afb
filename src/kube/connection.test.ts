import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, isOperatorError } from '../errors.ts';
import { createConnection } from './connection.ts';

describe('API-server connection', () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'ogo-connection-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  it('sends a fixed token, or none', () => {
    const withToken = createConnection({ server: 'https://h:1', token: 'abc', source: 'test' });
    assert.deepEqual(withToken.authHeaders(), { Authorization: 'Bearer abc' });
    withToken.close();
    const anonymous = createConnection({ server: 'https://h:1', source: 'test' });
    assert.deepEqual(anonymous.authHeaders(), {});
    anonymous.close();
  });

  it('re-reads a rotating token file once the refresh period passed, and keeps the last token while the file is unreadable', async () => {
    const file = join(dir, 'token');
    await writeFile(file, 'first\n');
    let now = 0;
    const connection = createConnection({ server: 'https://h:1', tokenFile: file, source: 'test' }, { now: () => now, tokenRefreshMs: 60_000 });
    await writeFile(file, 'second');
    now = 59_999;
    assert.deepEqual(connection.authHeaders(), { Authorization: 'Bearer first' }, 'still fresh: not re-read');
    now = 60_000;
    assert.deepEqual(connection.authHeaders(), { Authorization: 'Bearer second' });
    await rm(file);
    now = 120_000;
    assert.deepEqual(connection.authHeaders(), { Authorization: 'Bearer second' });
    connection.close();
  });

  it('fails fast on a token file it cannot read, and on a server that is not https', () => {
    assert.throws(() => createConnection({ server: 'https://h:1', tokenFile: join(dir, 'absent'), source: 'in-cluster config' }),
      (e) => isOperatorError(e, ErrorCodes.KUBE_CONFIG) && e.message.startsWith('in-cluster config: cannot read the token file'));
    assert.throws(() => createConnection({ server: 'http://h:8080', source: 'kubeconfig k' }),
      (e) => isOperatorError(e, ErrorCodes.KUBE_CONFIG) && /not an https:\/\/ URL/.test(e.message));
  });

  it('turns the TLS settings into socket options around one shared secure context, refusing an unusable key', () => {
    const connection = createConnection({ server: 'https://h:1', tlsServerName: 'api', insecureSkipTlsVerify: true, source: 'test' });
    assert.deepEqual({ ...connection.tls, secureContext: typeof connection.tls.secureContext }, { secureContext: 'object', rejectUnauthorized: false, servername: 'api' });
    connection.close();
    assert.throws(() => createConnection({ server: 'https://h:1', clientCert: Buffer.from('C'), clientKey: Buffer.from('K'), source: 'kubeconfig k' }),
      (e) => isOperatorError(e, ErrorCodes.KUBE_CONFIG) && e.message === 'kubeconfig k: the client certificate or key is not usable PEM');
  });
});
