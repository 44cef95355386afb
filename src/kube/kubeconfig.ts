// Reads the current context of a kubeconfig file (running outside a Pod) into a ConnectionConfig:
// server, CA or insecure-skip-tls-verify, TLS server name, client certificate and key, token or
// token file, as files (relative to the kubeconfig, as kubectl resolves them) or inline data.
// Credentials the operator cannot honour are refused with one clear error, never half-applied.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ErrorCodes, OperatorError } from '../errors.ts';
import type { ConnectionConfig } from './connection.ts';

type Entry = Readonly<Record<string, unknown>>;

/** Keys that need machinery the operator does not carry: refused by name. */
const unsupportedUserKeys = ['exec', 'auth-provider', 'username', 'password', 'as', 'as-uid', 'as-groups', 'as-user-extra'] as const;
const unsupportedClusterKeys = ['proxy-url'] as const;

function fail(where: string, problem: string, cause?: unknown): never {
  throw new OperatorError(ErrorCodes.KUBE_CONFIG, `${where}: ${problem}`, cause === undefined ? {} : { cause });
}

function asEntry(value: unknown): Entry {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Entry) : {};
}

function optionalString(entry: Entry, key: string, where: string): string | undefined {
  const value = entry[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') fail(where, `${key} must be a string`);
  return value;
}

/** The body of the item called `name` in `clusters`, `users` or `contexts` (its `cluster`, `user`, `context`). */
function named(root: Entry, list: 'clusters' | 'users' | 'contexts', name: string, where: string): Entry {
  const field = list.slice(0, -1);
  const items = Array.isArray(root[list]) ? (root[list] as unknown[]) : [];
  const item = items.map(asEntry).find((i) => i['name'] === name);
  if (item === undefined) fail(where, `no ${field} named ${JSON.stringify(name)} in ${list}`);
  return asEntry(item[field]);
}

type Material = (entry: Entry, fileKey: string, dataKey: string) => Buffer | undefined;

function materialReader(baseDir: string, where: string): Material {
  return (entry, fileKey, dataKey) => {
    const data = optionalString(entry, dataKey, where);
    if (data !== undefined) return Buffer.from(data, 'base64');
    const file = optionalString(entry, fileKey, where);
    if (file === undefined) return undefined;
    const path = resolve(baseDir, file);
    try {
      return readFileSync(path);
    } catch (error) {
      return fail(where, `cannot read ${fileKey} ${path}`, error);
    }
  };
}

function refuseUnsupported(entry: Entry, keys: readonly string[], what: string): void {
  const used = keys.find((k) => entry[k] !== undefined && entry[k] !== null);
  if (used !== undefined) {
    fail(what, `${used} is not supported by the operator; use a client certificate, a token or a tokenFile`);
  }
}

function clusterConfig(cluster: Entry, where: string, read: Material): Omit<ConnectionConfig, 'source'> {
  refuseUnsupported(cluster, unsupportedClusterKeys, where);
  const server = optionalString(cluster, 'server', where);
  if (server === undefined) fail(where, 'the cluster has no server');
  const ca = read(cluster, 'certificate-authority', 'certificate-authority-data');
  const tlsServerName = optionalString(cluster, 'tls-server-name', where);
  return {
    server: server.replace(/\/+$/, ''),
    ...(ca === undefined ? {} : { ca }),
    ...(cluster['insecure-skip-tls-verify'] === true ? { insecureSkipTlsVerify: true } : {}),
    ...(tlsServerName === undefined ? {} : { tlsServerName }),
  };
}

function userConfig(user: Entry, where: string, read: Material, baseDir: string): Partial<ConnectionConfig> {
  refuseUnsupported(user, unsupportedUserKeys, where);
  const clientCert = read(user, 'client-certificate', 'client-certificate-data');
  const clientKey = read(user, 'client-key', 'client-key-data');
  if ((clientCert === undefined) !== (clientKey === undefined)) fail(where, 'a client certificate needs both client-certificate and client-key');
  const token = optionalString(user, 'token', where);
  const tokenFile = optionalString(user, 'tokenFile', where);
  return {
    ...(clientCert === undefined || clientKey === undefined ? {} : { clientCert, clientKey }),
    ...(token === undefined ? {} : { token }),
    ...(tokenFile === undefined ? {} : { tokenFile: resolve(baseDir, tokenFile) }),
  };
}

async function parseFile(path: string): Promise<Entry> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return fail(`kubeconfig ${path}`, 'cannot be read; pass an existing file with --kubeconfig or KUBECONFIG', error);
  }
  // Loaded here, not at the top: in a Pod (in-cluster config) the YAML parser is never needed,
  // and not loading it saves 1–2 MiB of RSS.
  const { parse } = await import('yaml');
  try {
    return asEntry(parse(text));
  } catch (error) {
    return fail(`kubeconfig ${path}`, 'is not valid YAML', error);
  }
}

/** The connection settings of the kubeconfig's current context. */
export async function loadKubeconfig(path: string): Promise<ConnectionConfig> {
  const root = await parseFile(path);
  const contextName = optionalString(root, 'current-context', `kubeconfig ${path}`);
  if (contextName === undefined) fail(`kubeconfig ${path}`, 'has no current-context; set one with kubectl config use-context');
  const source = `kubeconfig ${path} (context ${contextName})`;
  const context = named(root, 'contexts', contextName, source);
  const clusterName = optionalString(context, 'cluster', source);
  if (clusterName === undefined) fail(source, 'the context names no cluster');
  const baseDir = dirname(resolve(path));
  const read = materialReader(baseDir, source);
  const cluster = clusterConfig(named(root, 'clusters', clusterName, source), `${source}, cluster ${clusterName}`, read);
  const userName = optionalString(context, 'user', source);
  // A context without a user connects anonymously, as kubectl does.
  const user = userName === undefined ? {} : userConfig(named(root, 'users', userName, source), `${source}, user ${userName}`, read, baseDir);
  return { ...cluster, ...user, source };
}
