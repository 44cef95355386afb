// Kubeconfig files with embedded credentials, so one file is all a client needs.
import { readFile } from 'node:fs/promises';
import { stringify } from 'yaml';

export type KubeconfigInput = {
  readonly server: string;
  readonly caCertPem: string;
  readonly user: string;
  readonly credentials: { readonly certPem: string; readonly keyPem: string } | { readonly token: string };
};

const b64 = (text: string): string => Buffer.from(text).toString('base64');

export function renderKubeconfig(input: KubeconfigInput): string {
  const user = 'token' in input.credentials
    ? { token: input.credentials.token }
    : { 'client-certificate-data': b64(input.credentials.certPem), 'client-key-data': b64(input.credentials.keyPem) };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'sandbox', cluster: { server: input.server, 'certificate-authority-data': b64(input.caCertPem) } }],
    users: [{ name: input.user, user }],
    contexts: [{ name: 'sandbox', context: { cluster: 'sandbox', user: input.user } }],
    'current-context': 'sandbox',
  });
}

export async function renderCertificateKubeconfig(server: string, caPath: string, pair: { certPath: string; keyPath: string }, user: string): Promise<string> {
  const [caCertPem, certPem, keyPem] = await Promise.all([readFile(caPath, 'utf8'), readFile(pair.certPath, 'utf8'), readFile(pair.keyPath, 'utf8')]);
  return renderKubeconfig({ server, caCertPem, user, credentials: { certPem, keyPem } });
}
