import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, isOperatorError } from '../errors.ts';
import { loadKubeconfig } from './kubeconfig.ts';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

function kubeconfig(cluster: string, user: string, current = 'dev'): string {
  return `apiVersion: v1
kind: Config
current-context: ${current}
contexts:
- name: other
  context: {cluster: nowhere, user: nobody}
- name: dev
  context: {cluster: dev-cluster, user: dev-user, namespace: team}
clusters:
- name: dev-cluster
  cluster:
${cluster}
users:
- name: dev-user
  user:
${user}
`;
}

describe('kubeconfig loader', () => {
  let dir: string;
  const write = async (name: string, text: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };
  const rejection = async (path: string): Promise<unknown> => loadKubeconfig(path).then(() => undefined, (e: unknown) => e);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ogo-kubeconfig-'));
    await writeFile(join(dir, 'ca.crt'), 'CA-PEM');
    await writeFile(join(dir, 'client.crt'), 'CERT-PEM');
    await writeFile(join(dir, 'client.key'), 'KEY-PEM');
  });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  it('reads the current context: server, inline CA, client certificate and key, and a token', async () => {
    const path = await write('inline', kubeconfig(
      `    server: https://10.0.0.1:6443/\n    certificate-authority-data: ${b64('CA')}\n    tls-server-name: api.internal`,
      `    client-certificate-data: ${b64('CERT')}\n    client-key-data: ${b64('KEY')}\n    token: abc`,
    ));
    const config = await loadKubeconfig(path);
    assert.equal(config.server, 'https://10.0.0.1:6443');
    assert.deepEqual([config.ca?.toString(), config.clientCert?.toString(), config.clientKey?.toString(), config.token], ['CA', 'CERT', 'KEY', 'abc']);
    assert.equal(config.tlsServerName, 'api.internal');
    assert.equal(config.source, `kubeconfig ${path} (context dev)`);
  });

  it('resolves certificate files and the token file relative to the kubeconfig, and honours insecure-skip-tls-verify', async () => {
    const config = await loadKubeconfig(await write('files', kubeconfig(
      '    server: https://h:1\n    certificate-authority: ca.crt\n    insecure-skip-tls-verify: true',
      '    client-certificate: client.crt\n    client-key: client.key\n    tokenFile: token',
    )));
    assert.deepEqual([config.ca?.toString(), config.clientCert?.toString(), config.clientKey?.toString()], ['CA-PEM', 'CERT-PEM', 'KEY-PEM']);
    assert.equal(config.tokenFile, join(dir, 'token'));
    assert.equal(config.insecureSkipTlsVerify, true);
  });

  const refusals: [string, () => string, RegExp][] = [
    ['an exec plugin', () => kubeconfig('    server: https://h:1', '    exec: {command: aws}'), /user dev-user: exec is not supported by the operator/],
    ['an auth provider', () => kubeconfig('    server: https://h:1', '    auth-provider: {name: oidc}'), /auth-provider is not supported/],
    ['basic auth', () => kubeconfig('    server: https://h:1', '    username: admin\n    password: x'), /username is not supported/],
    ['a proxy', () => kubeconfig('    server: https://h:1\n    proxy-url: http://proxy:3128', '    token: t'), /cluster dev-cluster: proxy-url is not supported/],
    ['a cluster without server', () => kubeconfig('    certificate-authority: ca.crt', '    token: t'), /the cluster has no server/],
    ['a certificate without its key', () => kubeconfig('    server: https://h:1', '    client-certificate: client.crt'), /needs both client-certificate and client-key/],
    ['a missing certificate file', () => kubeconfig('    server: https://h:1\n    certificate-authority: missing.crt', '    token: t'), /cannot read certificate-authority .*missing\.crt/],
    ['a context that does not exist', () => kubeconfig('    server: https://h:1', '    token: t', 'prod'), /no context named "prod" in contexts/],
    ['a context whose cluster does not exist', () => kubeconfig('    server: https://h:1', '    token: t', 'other'), /no cluster named "nowhere" in clusters/],
    ['no current context', () => 'apiVersion: v1\nkind: Config\n', /has no current-context/],
    ['invalid YAML', () => 'clusters: [\n', /is not valid YAML/],
  ];
  for (const [what, text, message] of refusals) {
    it(`refuses ${what} with a coded error naming the entry`, async () => {
      const error = await rejection(await write(`refused-${what.replaceAll(' ', '-')}`, text()));
      assert.ok(isOperatorError(error, ErrorCodes.KUBE_CONFIG), String(error));
      assert.match(error.message, message);
    });
  }

  it('refuses a file that does not exist', async () => {
    const error = await rejection(join(dir, 'absent'));
    assert.ok(isOperatorError(error, ErrorCodes.KUBE_CONFIG));
    assert.match(error.message, /absent: cannot be read; pass an existing file with --kubeconfig or KUBECONFIG/);
  });
});
