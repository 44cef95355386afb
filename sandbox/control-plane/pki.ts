// The sandbox's certificates: one CA, then client and serving certificates issued from it with
// the openssl CLI (ECDSA P-256, 30 days). x509 client auth maps CN to the user, each O to a group.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from './run-command.ts';

export type KeyPair = { readonly certPath: string; readonly keyPath: string };

export type CertificateRequest = {
  /** File stem under the PKI directory: `<name>.crt`, `<name>.key`. */
  readonly name: string;
  readonly commonName: string;
  readonly organizations?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly dnsNames?: readonly string[];
  readonly usage: 'client' | 'server' | 'client-server';
};

const validityDays = '30';

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

export function caKeyPair(pkiDir: string): KeyPair {
  return { certPath: join(pkiDir, 'ca.crt'), keyPath: join(pkiDir, 'ca.key') };
}

/** Creates the CA once; an existing CA is kept so issued kubeconfigs stay valid across restarts. */
export async function ensureCertificateAuthority(pkiDir: string): Promise<KeyPair> {
  const ca = caKeyPair(pkiDir);
  if ((await exists(ca.certPath)) && (await exists(ca.keyPath))) return ca;
  await mkdir(pkiDir, { recursive: true, mode: 0o700 });
  await runCommand('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', ca.keyPath]);
  await runCommand('openssl', ['req', '-x509', '-new', '-key', ca.keyPath, '-subj', '/CN=opengauss-sandbox-ca', '-days', validityDays,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', ca.certPath]);
  return ca;
}

function subjectOf(request: CertificateRequest): string {
  const orgs = (request.organizations ?? []).map((o) => `/O=${o}`).join('');
  return `/CN=${request.commonName}${orgs}`;
}

export function renderExtensions(request: CertificateRequest): string {
  const usage = { client: 'clientAuth', server: 'serverAuth', 'client-server': 'serverAuth,clientAuth' }[request.usage];
  const alt = [...(request.ipAddresses ?? []).map((ip) => `IP:${ip}`), ...(request.dnsNames ?? []).map((d) => `DNS:${d}`)];
  const lines = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', `extendedKeyUsage=${usage}`];
  if (alt.length > 0) lines.push(`subjectAltName=${alt.join(',')}`);
  return `${lines.join('\n')}\n`;
}

/** Issues (or re-issues) a certificate signed by the sandbox CA. */
export async function issueCertificate(pkiDir: string, request: CertificateRequest): Promise<KeyPair> {
  const ca = caKeyPair(pkiDir);
  const pair = { certPath: join(pkiDir, `${request.name}.crt`), keyPath: join(pkiDir, `${request.name}.key`) };
  const csrPath = join(pkiDir, `${request.name}.csr`);
  const extPath = join(pkiDir, `${request.name}.ext`);
  await runCommand('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', pair.keyPath]);
  await runCommand('openssl', ['req', '-new', '-key', pair.keyPath, '-subj', subjectOf(request), '-out', csrPath]);
  await writeFile(extPath, renderExtensions(request));
  // A random serial, not -CAcreateserial: node agents get certificates in parallel, and concurrent
  // updates of one ca.srl file make openssl fail ("Unable to load number").
  const serial = `0x${randomBytes(16).toString('hex').replace(/^./, '1')}`;
  await runCommand('openssl', ['x509', '-req', '-in', csrPath, '-CA', ca.certPath, '-CAkey', ca.keyPath, '-set_serial', serial,
    '-days', validityDays, '-extfile', extPath, '-out', pair.certPath]);
  return pair;
}

/** The key pair the apiserver signs ServiceAccount tokens with and the token controller uses. */
export async function ensureServiceAccountKey(pkiDir: string): Promise<{ readonly privatePath: string; readonly publicPath: string }> {
  const privatePath = join(pkiDir, 'sa.key');
  const publicPath = join(pkiDir, 'sa.pub');
  if (!(await exists(privatePath))) {
    await runCommand('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', privatePath]);
  }
  await runCommand('openssl', ['ec', '-in', privatePath, '-pubout', '-out', publicPath]);
  return { privatePath, publicPath };
}

export async function readPem(path: string): Promise<string> {
  return readFile(path, 'utf8');
}
