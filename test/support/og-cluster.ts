// An OpenGaussCluster manifest as the sandbox end-to-end tests and benchmarks write it, and a SQL
// client that logs in through a cluster's NodePort on 127.0.0.1 with the password from its Secret.
import pg from 'pg';

export type ClusterMember = { readonly nodename: string; readonly ip: string };

export type ClusterManifest = {
  readonly name: string;
  readonly namespace: string;
  readonly members: readonly ClusterMember[];
  readonly write: number;
  readonly read: number;
  readonly image?: string;
  /** Extra spec lines, indented by two spaces (e.g. `  schedule: {pollingPeriod: 10}`). */
  readonly extra?: string;
};

export function clusterManifest(c: ClusterManifest): string {
  return `apiVersion: opengauss.sig/v1
kind: OpenGaussCluster
metadata: {name: ${c.name}, namespace: ${c.namespace}}
spec:
  image: ${c.image ?? 'opengauss-5.0.2:latest'}
  localrole: primary
  networkclass: calico
  storageclass: sandbox-local
  cpu: '1'
  memory: 2Gi
  storage: 1Gi
  dbport: 26000
  writeport: ${c.write}
  readport: ${c.read}
  iplist:
${c.members.map((m) => `  - {nodename: ${m.nodename}, ip: ${m.ip}}`).join('\n')}
${c.extra ?? ''}`;
}

type Kubectl = (...args: string[]) => Promise<string>;

/** The generated (or referenced) database password, from the Secret `<cluster>-init-sc`. */
export async function clusterPassword(kubectl: Kubectl, namespace: string, name: string): Promise<string> {
  const encoded = await kubectl('-n', namespace, 'get', 'secret', `${name}-init-sc`, '-o', 'jsonpath={.data.INIT_PASSWD}');
  return Buffer.from(encoded, 'base64').toString('utf8');
}

/** Runs one statement as `omm` through the NodePort `port` and returns its rows as arrays. */
export async function sqlThroughNodePort(kubectl: Kubectl, cluster: { namespace: string; name: string }, port: number, text: string): Promise<unknown[][]> {
  const password = await clusterPassword(kubectl, cluster.namespace, cluster.name);
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'omm', password, database: 'postgres', connectionTimeoutMillis: 5_000, query_timeout: 10_000 });
  await client.connect();
  try {
    return (await client.query({ text, rowMode: 'array' })).rows as unknown[][];
  } finally {
    await client.end().catch(() => undefined);
  }
}
