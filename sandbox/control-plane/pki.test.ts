import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCertificateAuthority, issueCertificate, renderExtensions } from './pki.ts';
import { runCommand } from './run-command.ts';

describe('sandbox PKI', () => {
  it('renders client, server and alt-name extensions', () => {
    const ext = renderExtensions({ name: 'x', commonName: 'x', usage: 'server', ipAddresses: ['127.0.0.1'], dnsNames: ['localhost'] });
    assert.match(ext, /extendedKeyUsage=serverAuth/);
    assert.match(ext, /subjectAltName=IP:127\.0\.0\.1,DNS:localhost/);
    assert.doesNotMatch(renderExtensions({ name: 'c', commonName: 'c', usage: 'client' }), /subjectAltName/);
  });

  it('issues a certificate whose subject maps to a Kubernetes user and groups, signed by the CA', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ogo-pki-test-'));
    try {
      const ca = await ensureCertificateAuthority(dir);
      const pair = await issueCertificate(dir, { name: 'node', commonName: 'system:node:node1', organizations: ['system:nodes'], usage: 'client' });
      const text = (await runCommand('openssl', ['x509', '-in', pair.certPath, '-noout', '-subject'])).stdout;
      assert.match(text, /CN\s*=\s*system:node:node1/);
      assert.match(text, /O\s*=\s*system:nodes/);
      const verify = await runCommand('openssl', ['verify', '-CAfile', ca.certPath, pair.certPath]);
      assert.match(verify.stdout, /OK/);
    } finally { await rm(dir, { recursive: true }); }
  });

  it('keeps an existing CA, so kubeconfigs issued before a restart stay valid', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ogo-pki-test-'));
    try {
      const first = await ensureCertificateAuthority(dir);
      const before = (await runCommand('openssl', ['x509', '-in', first.certPath, '-noout', '-fingerprint'])).stdout;
      await ensureCertificateAuthority(dir);
      const after = (await runCommand('openssl', ['x509', '-in', first.certPath, '-noout', '-fingerprint'])).stdout;
      assert.equal(after, before);
    } finally { await rm(dir, { recursive: true }); }
  });
});
