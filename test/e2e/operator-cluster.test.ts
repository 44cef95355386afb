// Issue 5, "Done when": the operator, deployed as a user deploys it, turns OpenGaussCluster
// manifests into running clusters in a private sandbox. A single-node and a 1+2 cluster become
// `ready`; rows written through the write NodePort are read through the read NodePort; the read
// NodePort refuses writes; role labels and the 2.0 printer columns are right; deleting a cluster
// keeps its PVCs and a new cluster of the same name finds its rows again; maintenance stops and
// resumes the operator's work.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { clusterManifest, sqlThroughNodePort, type ClusterMember } from '../support/og-cluster.ts';
import { reportFailure } from '../support/failure-report.ts';
import { sandboxCli, waitFor, type SandboxCli } from '../support/sandbox-cli.ts';

const offset = 240; // nodes 127.10.241-243.1: no other sandbox or test uses them
const ns = 'e2e-og';

const member = (n: number): ClusterMember => ({ nodename: `node${n}`, ip: `127.10.${offset + n}.10` });
const manifest = (name: string, members: readonly ClusterMember[], ports: { write: number; read: number }): string =>
  clusterManifest({ name, namespace: ns, members, ...ports });

describe('operator creates and keeps openGauss clusters [e2e] [slow]', { skip: process.getuid?.() !== 0 && 'needs root (node agents)', timeout: 900_000 }, () => {
  let cli: SandboxCli;
  afterEach(reportFailure(() => cli, ns));
  const kubectl = async (...args: string[]): Promise<string> => (await cli.kubectl(...args)).stdout;
  const state = (name: string): Promise<string> => kubectl('-n', ns, 'get', 'ogc', name, '-o', 'jsonpath={.status.state}');
  const waitReady = (name: string): Promise<void> => waitFor(`${name} ready`, async () => (await state(name)) === 'ready', 240_000);

  const sql = (name: string, port: number, text: string): Promise<unknown[][]> => sqlThroughNodePort(kubectl, { namespace: ns, name }, port, text);

  before(async () => {
    cli = sandboxCli(await mkdtemp(join(tmpdir(), 'ogo-e2e-operator-')), offset);
    await cli.sandbox('up', '--nodes', '3', '--no-sample', '--detach');
    await kubectl('create', 'namespace', ns);
  });

  after(async () => {
    await cli.sandbox('down').catch(() => undefined);
    await rm(cli.stateDir, { recursive: true, force: true });
  });

  it('brings a single-node cluster to ready and serves reads and writes through its NodePorts', async () => {
    await cli.kubectlIn(manifest('solo', [{ nodename: 'node1', ip: `127.10.${offset + 1}.20` }], { write: 31111, read: 31112 }), 'apply', '-f', '-');
    await waitReady('solo');
    // The NodePorts follow the role labels within a moment of the state change.
    await waitFor('the write NodePort', async () => (await sql('solo', 31111, 'select 1')).length === 1, 60_000);
    await sql('solo', 31111, 'create table t (v text); insert into t values (\'solo\')');
    // No standby: the read Service falls back to the primary.
    assert.deepEqual(await sql('solo', 31112, 'select v from t'), [['solo']]);
  });

  it('brings a primary and two standbys to ready with the role labels and the 2.0 printer columns', async () => {
    await cli.kubectlIn(manifest('trio', [member(1), member(2), member(3)], { write: 31121, read: 31122 }), 'apply', '-f', '-');
    await waitReady('trio');
    const roles = async (): Promise<string[]> => (await kubectl('-n', ns, 'get', 'pods', '-l', 'opengauss.cluster=trio', '-o', 'jsonpath={range .items[*]}{.metadata.labels.opengauss\\.role}{" "}{end}')).trim().split(' ').sort();
    await waitFor('the role labels', async () => (await roles()).join() === 'primary,standby,standby', 60_000);
    const table = (await kubectl('-n', ns, 'get', 'opengaussclusters', 'trio')).split('\n');
    assert.match(table[0] ?? '', /^NAME\s+ROLE\s+CPU\s+MEMORY\s+READ PORT\s+WRITE PORT\s+DB PORT\s+STATE\s+AGE$/);
    assert.match(table[1] ?? '', /^trio\s+primary\s+1\s+2Gi\s+31122\s+31121\s+26000\s+ready\s+\S+$/);
    // The first member running in iplist order is promoted (2.0); which one that is depends on
    // which container started first, so the test asks the pod labelled primary.
    const primaryPodIp = await kubectl('-n', ns, 'get', 'pods', '-l', 'opengauss.cluster=trio,opengauss.role=primary', '-o', 'jsonpath={.items[*].status.podIP}');
    assert.ok([member(1).ip, member(2).ip, member(3).ip].includes(primaryPodIp));
    assert.equal(await kubectl('-n', ns, 'get', 'ogc', 'trio', '-o', 'jsonpath={.status.primary}'), primaryPodIp);
  });

  it('writes through the write NodePort, reads the row through the read NodePort, and refuses writes there', async () => {
    await waitFor('the write NodePort', async () => (await sql('trio', 31121, 'select 1')).length === 1, 60_000);
    await sql('trio', 31121, 'create table kept (v text); insert into kept values (\'written on the primary\')');
    await waitFor('the row on a standby', async () => (await sql('trio', 31122, 'select v from kept')).length === 1, 30_000);
    assert.deepEqual(await sql('trio', 31122, 'select pg_is_in_recovery()'), [[true]]);
    await assert.rejects(sql('trio', 31122, 'insert into kept values (\'through the read port\')'), /read-only transaction/);
  });

  it('stops acting in maintenance (state maintaining) and resumes after', async () => {
    await kubectl('-n', ns, 'patch', 'ogc', 'trio', '--type=merge', '-p', '{"spec":{"maintenance":true}}');
    await waitFor('maintaining', async () => (await state('trio')) === 'maintaining', 60_000);
    // A label removed by hand stays removed: the operator is hands-off.
    // Any standby (which member became primary depends on container start order).
    const standby = (await kubectl('-n', ns, 'get', 'pods', '-l', 'opengauss.cluster=trio,opengauss.role=standby', '-o', 'jsonpath={.items[0].metadata.name}')).trim();
    assert.match(standby, /^og-trio-pod-/);
    await kubectl('-n', ns, 'label', 'pod', standby, 'opengauss.role-');
    await new Promise((r) => setTimeout(r, 5_000));
    assert.equal(await kubectl('-n', ns, 'get', 'pod', standby, '-o', 'jsonpath={.metadata.labels.opengauss\\.role}'), '');
    await kubectl('-n', ns, 'patch', 'ogc', 'trio', '--type=merge', '-p', '{"spec":{"maintenance":false}}');
    await waitReady('trio');
    await waitFor('the label restored', async () => (await kubectl('-n', ns, 'get', 'pod', standby, '-o', 'jsonpath={.metadata.labels.opengauss\\.role}')) === 'standby', 60_000);
  });

  it('keeps the PVCs and the password when the cluster is deleted, and a new cluster of the same name finds its rows', async () => {
    await kubectl('-n', ns, 'delete', 'ogc', 'trio', '--wait=true');
    await waitFor('the Pods and Services gone', async () => (await kubectl('-n', ns, 'get', 'pods,services', '-l', 'opengauss.cluster=trio', '-o', 'name')).trim() === '', 120_000);
    const pvcs = (await kubectl('-n', ns, 'get', 'pvc', '-o', 'name')).split('\n').filter((l) => l.includes('og-trio-pod-'));
    assert.equal(pvcs.length, 6, 'data and log PVCs of three members remain');
    await kubectl('-n', ns, 'get', 'secret', 'trio-init-sc');
    await cli.kubectlIn(manifest('trio', [member(1), member(2), member(3)], { write: 31121, read: 31122 }), 'apply', '-f', '-');
    await waitReady('trio');
    await waitFor('the write NodePort', async () => (await sql('trio', 31121, 'select 1')).length === 1, 60_000);
    assert.deepEqual(await sql('trio', 31121, 'select v from kept'), [['written on the primary']]);
  });
});
