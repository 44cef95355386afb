// Issue 4, "Done when": `npm run sandbox -- up --nodes 3 --no-operator --no-sample --detach` in a
// private state directory, then what a user would do with kubectl, a PostgreSQL client and the
// sandbox's fault commands. (The ServiceAccount/RBAC case is in the node agent's integration test.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { sandboxPartitionTable } from '../../sandbox/network/partition.ts';
import { cgroupPids, sandboxCgroupDir } from '../../sandbox/node-agent/cgroups.ts';
import { podProcesses, sandboxCli, waitFor, type Output, type SandboxCli } from '../support/sandbox-cli.ts';
import { dataDir, operator20Manifest, pairManifest, password, volumeManifest, type OgPod } from './og-manifests.ts';

const run = promisify(execFile);
const offset = 220; // nodes 127.10.221-223.1: no other sandbox or test uses them
const primary: OgPod = { name: 'og-primary', role: 'primary', node: 'node1', ip: '127.10.221.10', peerIp: '127.10.222.10', nodeName: 'dn_6001' };
const standby: OgPod = { name: 'og-standby', role: 'standby', node: 'node2', ip: '127.10.222.10', peerIp: '127.10.221.10', nodeName: 'dn_6002' };

async function sql(port: number, text: string): Promise<unknown[][]> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'repuser', password, database: 'postgres', connectionTimeoutMillis: 3_000, query_timeout: 5_000 });
  await client.connect();
  try {
    return (await client.query({ text, rowMode: 'array' })).rows as unknown[][];
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('sandbox nodes end to end (issue 4)', { timeout: 600_000 }, () => {
  let cli: SandboxCli;
  const nodePort: Record<string, number> = {};
  const kubectl = (...args: string[]): Promise<string> => cli.kubectl(...args).then((o) => o.stdout);
  const jsonpath = (kind: string, path: string): Promise<string> => kubectl('get', kind, '-o', `jsonpath=${path}`);
  // The official image's container runs as root and gs_ctl refuses root, so, as its documentation
  // does with `docker exec`, the tools run as omm through su (which keeps the container's env).
  const asOmm = (pod: string, command: string): Promise<string> => kubectl('exec', pod, '--', 'su', 'omm', '-c', command);
  const gsCtlQuery = (pod: string): Promise<string> => asOmm(pod, `gs_ctl query -D ${dataDir}`);
  const onStandby = (query: string): Promise<string> => asOmm(standby.name, `gsql -d postgres -p 5432 -t -A -c "${query}"`);
  const streaming = async (): Promise<boolean> => /state\s+: Streaming/.test(await gsCtlQuery(primary.name));

  before(async () => {
    cli = sandboxCli(await mkdtemp(join(tmpdir(), 'ogo-e2e-nodes-')), offset);
    const up = await cli.sandbox('up', '--nodes', '3', '--no-operator', '--no-sample', '--detach');
    assert.match(up.stdout, /volume provisioner ready/);
  });

  after(async () => {
    const stateDir = cli.stateDir;
    await cli.sandbox('down').catch(() => undefined);
    try {
      // Nothing left behind: Pod processes, volume mounts, loop devices, the partition table.
      assert.deepEqual([...podProcesses(primary.ip), ...podProcesses(standby.ip)], []);
      // PostgreSQL's children overwrite their environment: the sandbox's cgroups catch an orphan.
      const cgroupDir = sandboxCgroupDir(stateDir);
      assert.deepEqual(cgroupDir === undefined ? [] : cgroupPids(cgroupDir), []);
      assert.doesNotMatch(await readFile('/proc/self/mountinfo', 'utf8'), new RegExp(stateDir));
      assert.doesNotMatch((await run('losetup', ['-a'])).stdout, new RegExp(stateDir));
      assert.doesNotMatch((await run('nft', ['list', 'tables'])).stdout, new RegExp(sandboxPartitionTable(stateDir)));
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });

  it('runs the official image master/standby example: both Pods become Ready', async () => {
    await cli.kubectlIn(pairManifest(primary, standby), 'apply', '-f', '-');
    await kubectl('wait', '--for=condition=Ready', `pod/${primary.name}`, `pod/${standby.name}`, '--timeout=90s');
    assert.equal(await jsonpath(`pod/${primary.name}`, '{.status.podIP}'), primary.ip);
    for (const svc of ['og-write', 'og-read']) nodePort[svc] = Number(await jsonpath(`service/${svc}`, '{.spec.ports[0].nodePort}'));
    // As in the official image: the container user is root, the entrypoint gave the data to omm.
    assert.equal(await kubectl('exec', primary.name, '--', 'sh', '-c', `id -un; stat -c %U ${dataDir}`), 'root\nomm\n');
  });

  it('prints the openGauss `gs_ctl query` format with the standby streaming from Pod address to Pod address', async () => {
    await waitFor('standby streaming', streaming, 30_000);
    const onPrimary = await gsCtlQuery(primary.name);
    assert.match(onPrimary, /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\]\[\d+\]\[\]\[gs_ctl\]: gs_ctl query ,datadir is \/var\/lib\/opengauss\/data \n HA state: {11}\n/);
    assert.match(onPrimary, /\tlocal_role {21}: Primary\n/);
    assert.match(onPrimary, /\tpeer_role {22}: Standby\n/);
    assert.match(onPrimary, new RegExp(`\\tchannel +: ${primary.ip.replaceAll('.', '\\.')}:5433-->${standby.ip.replaceAll('.', '\\.')}:\\d+\\n`));
    const onStandbyPod = await gsCtlQuery(standby.name);
    assert.match(onStandbyPod, /\tlocal_role {21}: Standby\n/);
    assert.match(onStandbyPod, new RegExp(`<--${primary.ip.replaceAll('.', '\\.')}:5433`));
  });

  it('serves a row written through the primary NodePort on 127.0.0.1 to the standby', async () => {
    await sql(nodePort['og-write'] ?? 0, 'CREATE TABLE e2e (id int primary key, note text)');
    await sql(nodePort['og-write'] ?? 0, "INSERT INTO e2e VALUES (1, 'through the NodePort')");
    await waitFor('row on the standby', async () => (await onStandby('SELECT note FROM e2e WHERE id = 1')).trim() === 'through the NodePort', 10_000);
    assert.deepEqual(await sql(nodePort['og-read'] ?? 0, 'SELECT pg_is_in_recovery(), host(inet_server_addr())'), [[true, standby.ip]]);
  });

  it('shows the engine log with `kubectl logs`', async () => {
    const log = await kubectl('logs', primary.name);
    assert.match(log, new RegExp(`listening on IPv4 address "${primary.ip.replaceAll('.', '\\.')}", port 5432`));
    assert.match(log, /database system is ready to accept connections/);
    assert.doesNotMatch(log, /ld\.so: object .* cannot be preloaded/, 'the netshim is visible inside the container');
  });

  it('restarts a killed primary container per restart policy, and it streams again', async () => {
    assert.match((await cli.sandbox('kill', primary.name)).stdout, /killed opengauss of default\/og-primary on node1/);
    await waitFor('restart counted', async () => (await jsonpath(`pod/${primary.name}`, '{.status.containerStatuses[0].restartCount}')) === '1');
    await kubectl('wait', '--for=condition=Ready', `pod/${primary.name}`, '--timeout=60s');
    await waitFor('streaming after the restart', streaming, 30_000);
    assert.deepEqual(await sql(nodePort['og-write'] ?? 0, 'SELECT count(*)::int FROM e2e'), [[1]]);
  });

  it('isolate cuts replication and client traffic to the standby until heal', async () => {
    assert.match((await cli.sandbox('isolate', standby.name)).stdout, new RegExp(`isolated default/og-standby \\(${standby.ip.replaceAll('.', '\\.')}\\)`));
    await sql(nodePort['og-write'] ?? 0, "INSERT INTO e2e VALUES (2, 'during the partition')");
    await assert.rejects(sql(nodePort['og-read'] ?? 0, 'SELECT 1'), 'no client reaches an isolated Pod');
    await waitFor('the primary lost its standby', async () => /Senders info: {7}\nNo information/.test(await gsCtlQuery(primary.name)), 30_000);
    assert.equal((await onStandby('SELECT count(*) FROM e2e WHERE id = 2')).trim(), '0', 'the row did not replicate');

    await cli.sandbox('heal', standby.name);
    await waitFor('row replicated after heal', async () => (await onStandby('SELECT count(*) FROM e2e WHERE id = 2')).trim() === '1', 30_000);
    await waitFor('clients reach the standby again', async () => (await sql(nodePort['og-read'] ?? 0, 'SELECT count(*)::int FROM e2e'))[0]?.[0] === 2, 30_000);
  });

  it('gives a PVC-backed Pod a volume with the requested capacity', async () => {
    await cli.kubectlIn(volumeManifest('64Mi'), 'apply', '-f', '-');
    await kubectl('wait', '--for=condition=Ready', 'pod/with-volume', '--timeout=60s');
    assert.equal(await jsonpath('pvc/data', '{.status.phase}'), 'Bound');
    const df = (await kubectl('exec', 'with-volume', '--', 'df', '-k', '/data')).trim().split('\n').at(-1)?.split(/\s+/) ?? [];
    const sizeKiB = Number(df[1]);
    assert.ok(sizeKiB > 48 * 1024 && sizeKiB <= 64 * 1024, `df shows ${sizeKiB} KiB for a 64Mi claim: ${df.join(' ')}`);
    assert.notEqual(df[0], 'overlay', 'a filesystem of its own, not the host disk');
  });

  it('fills the volume to ENOSPC inside the Pod, then grows it online when the claim grows', async () => {
    const inPod = (script: string): Promise<Output> => cli.kubectl('exec', 'with-volume', '--', 'sh', '-c', script);
    const sizeKiB = async (): Promise<number> => Number((await kubectl('exec', 'with-volume', '--', 'df', '-k', '/data')).trim().split('\n').at(-1)?.split(/\s+/)[1]);
    const full = (await inPod('dd if=/dev/zero of=/data/fill bs=1M count=200 2>&1; echo "exit $?"')).stdout;
    assert.match(full, /No space left on device[\s\S]*exit 1/);
    const before = await sizeKiB();
    await kubectl('patch', 'pvc/data', '--type=merge', '-p', '{"spec":{"resources":{"requests":{"storage":"128Mi"}}}}');
    await waitFor('the Pod sees the grown filesystem', async () => (await sizeKiB()) > before + 32 * 1024, 60_000);
    await waitFor('the claim reports the new capacity', async () => (await jsonpath('pvc/data', '{.status.capacity.storage}')) === '128Mi', 60_000);
    // The same mount, still in use: new space is writable at once, and the old data is there.
    await inPod('dd if=/dev/zero of=/data/more bs=1M count=32 2>&1 && ls -l /data/fill');
  });

  it('runs the 2.0 operator image flavour (gs_initdb, gs_ctl start -M pending)', async () => {
    await cli.kubectlIn(operator20Manifest('node3'), 'apply', '-f', '-');
    await kubectl('wait', '--for=condition=Ready', 'pod/og20', '--timeout=60s');
    const query = await kubectl('exec', 'og20', '--', 'gs_ctl', 'query', '-D', '/gaussdata/openGauss/db1');
    assert.match(query, /\tlocal_role {21}: Pending\n/);
    assert.match(await kubectl('exec', 'og20', '--', 'sh', '-c', 'echo $PGDATA $GAUSSHOME; id -un'), /^\/gaussdata\/openGauss\/db1 \/gauss\/openGauss\/app\nomm\n$/);
  });

  it('`node stop` kills the node\'s Pod processes at once and the Node turns NotReady', async () => {
    assert.ok(podProcesses(standby.ip).length > 0, 'the standby runs before the crash');
    await cli.sandbox('node', 'stop', 'node2');
    assert.deepEqual(podProcesses(standby.ip), [], 'no process of the standby survives');
    await waitFor('node2 NotReady', async () => (await jsonpath('node/node2', '{.status.conditions[?(@.type=="Ready")].status}')) !== 'True', 45_000);
    assert.ok(podProcesses(primary.ip).length > 0, 'other nodes are untouched');
  });
});
