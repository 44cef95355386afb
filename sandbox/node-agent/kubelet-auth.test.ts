import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiServerKubeletClientName } from '../control-plane/component-args.ts';
import { authorizeKubeletRequest, peerOf } from './kubelet-auth.ts';

describe('kubelet API access', () => {
  const verified = (commonName: string, organizations: string[] = []): Parameters<typeof authorizeKubeletRequest>[0] => ({ authorized: true, commonName, organizations });

  it('lets the apiserver kubelet client and system:masters in', () => {
    assert.deepEqual(authorizeKubeletRequest(verified(apiServerKubeletClientName), 'exec', 'GET'), { ok: true });
    assert.deepEqual(authorizeKubeletRequest(verified('admin', ['system:masters']), 'containerLogs', 'GET'), { ok: true });
  });

  it('refuses a request without a verified certificate with 401, whatever name it claims', () => {
    assert.equal(authorizeKubeletRequest({ authorized: false, organizations: [] }, 'exec', 'GET').ok, false);
    const forged = authorizeKubeletRequest({ authorized: false, commonName: apiServerKubeletClientName, organizations: ['system:masters'] }, 'exec', 'GET');
    assert.deepEqual(forged, { ok: false, status: 401, message: 'Unauthorized: a client certificate signed by the cluster CA is required' });
  });

  it('refuses other verified identities with 403 naming the user and the nodes subresource', () => {
    assert.deepEqual(authorizeKubeletRequest(verified('system:node:node2', ['system:nodes']), 'containerLogs', 'GET'),
      { ok: false, status: 403, message: 'Forbidden (user=system:node:node2, verb=get, resource=nodes, subresource=log)' });
    assert.deepEqual(authorizeKubeletRequest(verified('alice'), 'exec', 'POST'),
      { ok: false, status: 403, message: 'Forbidden (user=alice, verb=create, resource=nodes, subresource=proxy)' });
  });

  it('keeps /healthz open, as the kubelet health endpoint is', () => {
    assert.deepEqual(authorizeKubeletRequest({ authorized: false, organizations: [] }, 'healthz', 'GET'), { ok: true });
  });

  it('reads the subject of a TLS peer with one or several organizations', () => {
    assert.deepEqual(peerOf({ authorized: true, getPeerCertificate: () => ({ subject: { CN: 'admin', O: ['system:masters', 'x'] } }) }),
      { authorized: true, commonName: 'admin', organizations: ['system:masters', 'x'] });
    assert.deepEqual(peerOf({ authorized: false, getPeerCertificate: () => ({}) }), { authorized: false, commonName: undefined, organizations: [] });
  });
});
