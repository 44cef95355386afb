// Issue 5, "Bad input" and the rest of "Done when", against a private sandbox: bad input that
// admission cannot catch (a missing node, an IP or a NodePort another cluster holds, an image that
// cannot be pulled, a missing password Secret) gets a Degraded condition with a reason and a
// ValidateFail Event and touches nothing else, while a healthy cluster in the same namespace
// becomes ready; killing the operator leader mid-create ends in one correct cluster; the
// openGauss-operator 2.0 README sample.yaml deploys in hostPath mode.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { clusterManifest, clusterPassword, sqlThroughNodePort, type ClusterMember } from '../support/og-cluster.ts';
import { repoRoot } from '../../sandbox/repo-root.ts';
import { reportFailure } from '../support/failure-report.ts';
import { sandboxCli, waitFor, type SandboxCli } from '../support/sandbox-cli.ts';

// Nodes 127.10.246-248.1 and NodePorts 31600-31699: no other sandbox or test uses them (node
// indexes are IPv4 octets, so an offset must stay at or below 252).
const offset = 245;
const ns = 'e2e-robust';
const operatorNs = 'opengauss-operator-system';
const lease = 'opengauss-operator-lock';

const member = (n: number, k: number, nodename = `node${n}`): ClusterMember => ({ nodename, ip: `127.10.${offset + n}.${k}` });

type Options = { members: readonly ClusterMember[]; write: number; read: number; image?: string; extra?: string };
const manifest = (name: string, o: Options): string => clusterManifest({ name, namespace: ns, ...o });

type Condition = { type: string; status: string; reason: string; message?: string };

describe('operator copes with bad input, its own death mid-create, and the 2.0 README sample [e2e] [slow]', { skip: process.getuid?.() !== 0 && 'needs root (node agents)', timeout: 600_000 }, () => {
  let cli: SandboxCli;
  afterEach(reportFailure(() => cli, ns));
  const kubectl = async (...args: string[]): Promise<string> => (await cli.kubectl(...args)).stdout;
  const apply = (text: string): Promise<unknown> => cli.kubectlIn(text, 'apply', '-f', '-');
  const state = (name: string): Promise<string> => kubectl('-n', ns, 'get', 'ogc', name, '-o', 'jsonpath={.status.state}');
  const waitReady = (name: string, timeoutMs = 180_000): Promise<void> => waitFor(`${name} ready`, async () => (await state(name)) === 'ready', timeoutMs);
  const names = async (kinds: string, selector: string): Promise<string[]> =>
    (await kubectl('-n', ns, 'get', kinds, '-l', selector, '-o', 'name')).split('\n').filter((l) => l !== '');
  // Pods carry opengauss.cluster, Services and PVCs app.kubernetes.io/name (2.0's labels).
  const owned = async (name: string): Promise<string[]> =>
    [...await names('pods', `opengauss.cluster=${name}`), ...await names('services,pvc', `app.kubernetes.io/name=${name}`)];

  async function conditions(name: string): Promise<Condition[]> {
    const raw = await kubectl('-n', ns, 'get', 'ogc', name, '-o', 'jsonpath={.status.conditions}');
    return raw === '' ? [] : JSON.parse(raw) as Condition[];
  }

  /** The Degraded reason appears in status.conditions and a Warning ValidateFail Event names the problem. */
  async function waitBadInput(name: string, reason: string, note: RegExp): Promise<void> {
    await waitFor(`${name} Degraded/${reason}`, async () => (await conditions(name)).some((c) => c.type === 'Degraded' && c.status === 'True' && c.reason === reason), 90_000);
    await waitFor(`${name} ValidateFail Event`, async () => {
      const events = JSON.parse(await kubectl('-n', ns, 'get', 'events', '--field-selector', `involvedObject.name=${name}`, '-o', 'json')) as { items: { type?: string; reason?: string; message?: string }[] };
      return events.items.some((e) => e.type === 'Warning' && e.reason === 'ValidateFail' && note.test(e.message ?? ''));
    }, 20_000);
  }

  const sql = (name: string, port: number, text: string): Promise<unknown[][]> => sqlThroughNodePort(kubectl, { namespace: ns, name }, port, text);

  before(async () => {
    cli = sandboxCli(await mkdtemp(join(tmpdir(), 'ogo-e2e-robust-')), offset);
    await cli.sandbox('up', '--nodes', '3', '--no-sample', '--detach');
    await kubectl('create', 'namespace', ns);
  });

  after(async () => {
    await cli.sandbox('down').catch(() => undefined);
    await rm(cli.stateDir, { recursive: true, force: true });
  });

  it('blocks bad input with a condition and an Event, touching nothing else, while a healthy cluster becomes ready', async () => {
    const steady = member(2, 10);
    await apply(manifest('steady', { members: [steady], write: 31601, read: 31602 }));
    // The broken clusters must be younger than `steady` (creationTimestamp has one-second
    // resolution: a cluster made in the same second is no older, docs/reconcile.md) and come after
    // its Services took their NodePorts, so wait until it is ready.
    await waitReady('steady');
    await waitFor('the Services of steady', async () => (await names('services', 'app.kubernetes.io/name=steady')).length === 2, 30_000);
    const steadyPod = `og-steady-pod-${steady.ip.replaceAll('.', 'x')}`;
    const steadyUid = await kubectl('-n', ns, 'get', 'pod', steadyPod, '-o', 'jsonpath={.metadata.uid}');
    await Promise.all([
      apply(manifest('lost', { members: [member(1, 11, 'node9')], write: 31603, read: 31604 })),
      apply(manifest('clash-ip', { members: [{ nodename: 'node2', ip: steady.ip }], write: 31605, read: 31606 })),
      apply(manifest('clash-port', { members: [member(3, 12)], write: 31601, read: 31608 })),
      apply(manifest('noimage', { members: [member(3, 13)], write: 31609, read: 31610, image: 'nosuch/image:1' })),
      apply(manifest('nosecret', { members: [member(2, 14)], write: 31611, read: 31612, extra: '  passwordSecretRef: {name: nosecret-pw}\n' })),
    ]);

    await Promise.all([
      waitBadInput('lost', 'NodeNotFound', new RegExp(`node node9 of member 127\\.10\\.${offset + 1}\\.11 does not exist`)),
      waitBadInput('clash-ip', 'IpConflict', new RegExp(`${steady.ip.replaceAll('.', '\\.')} is already used by cluster .*steady`)),
      waitBadInput('clash-port', 'NodePortConflict', /31601/),
      waitBadInput('noimage', 'ImagePullFailed', /ErrImagePull|ImagePullBackOff/),
      waitBadInput('nosecret', 'SecretMissing', /nosecret-pw/),
    ]);

    // Nothing is created for a cluster whose input is bad before any object exists.
    assert.deepEqual(await owned('lost'), []);
    assert.deepEqual(await owned('clash-ip'), []);
    assert.deepEqual(await owned('nosecret'), []);
    assert.equal((await kubectl('-n', ns, 'get', 'secrets', '-o', 'name')).includes('nosecret-init-sc'), false);
    // The refused Service did not take steady's NodePort or its Pod; the IP clash left steady's Pod alone.
    assert.equal(await kubectl('-n', ns, 'get', 'service', 'og-steady-svc', '-o', 'jsonpath={.spec.ports[0].nodePort} {.spec.selector.opengauss\\.cluster}'), '31601 steady');
    assert.equal(await kubectl('-n', ns, 'get', 'pod', steadyPod, '-o', 'jsonpath={.metadata.uid}'), steadyUid);
    assert.equal((await names('pods', 'opengauss.cluster=steady')).length, 1);
    for (const name of ['lost', 'clash-ip', 'clash-port', 'noimage', 'nosecret']) assert.notEqual(await state(name), 'ready', name);

    // steady serves while its neighbours are broken.
    await waitFor('the write NodePort of steady', async () => (await sql('steady', 31601, 'select 1')).length === 1, 60_000);
    await sql('steady', 31601, 'create table t (v text); insert into t values (\'steady\')');
    assert.deepEqual(await sql('steady', 31602, 'select v from t'), [['steady']]);

    // The missing Secret appears: the cluster proceeds with the password it holds.
    await kubectl('-n', ns, 'create', 'secret', 'generic', 'nosecret-pw', '--from-literal=password=Robust@2026pw');
    await waitReady('nosecret');
    assert.equal(await clusterPassword(kubectl, ns, 'nosecret'), 'Robust@2026pw');
    await waitFor('the write NodePort of nosecret', async () => (await sql('nosecret', 31611, 'select 1')).length === 1, 60_000);
    const degraded = (await conditions('nosecret')).find((c) => c.type === 'Degraded');
    assert.equal(degraded?.status, 'False');

    // Free the nodes for the next tests (the PVCs stay, by design).
    await kubectl('-n', ns, 'delete', 'ogc', 'lost', 'clash-ip', 'clash-port', 'noimage', 'nosecret', 'steady', '--wait=false');
  });

  it('ends in one correct cluster when the operator leader is killed mid-create', async () => {
    const members = [member(1, 20), member(2, 20), member(3, 20)];
    await apply(manifest('phoenix', { members, write: 31621, read: 31622 }));
    // Mid-create: the operator has started making Pods, and the cluster is not ready.
    await waitFor('the first Pod of phoenix', async () => (await names('pods', 'opengauss.cluster=phoenix')).length > 0, 30_000);
    const holder = (await kubectl('-n', operatorNs, 'get', 'lease', lease, '-o', 'jsonpath={.spec.holderIdentity}')).split('_')[0] ?? '';
    const leader = (await kubectl('-n', operatorNs, 'get', 'pods', '-o', 'name')).split('\n').map((l) => l.replace('pod/', '')).find((p) => p !== '' && holder.startsWith(p));
    assert.ok(leader, `no operator Pod holds the Lease (holder ${holder})`);
    assert.notEqual(await state('phoenix'), 'ready');
    await cli.sandbox('kill', `${operatorNs}/${leader}`);

    await waitReady('phoenix');
    const roles = async (): Promise<string[]> => (await kubectl('-n', ns, 'get', 'pods', '-l', 'opengauss.cluster=phoenix', '-o', 'jsonpath={range .items[*]}{.metadata.labels.opengauss\\.role}{" "}{end}')).trim().split(' ').sort();
    await waitFor('the role labels', async () => (await roles()).join() === 'primary,standby,standby', 60_000);
    assert.equal((await names('pods', 'opengauss.cluster=phoenix')).length, 3);
    const pvcs = (await kubectl('-n', ns, 'get', 'pvc', '-o', 'name')).split('\n').filter((l) => l.includes('og-phoenix-pod-'));
    assert.equal(pvcs.length, 6, `data and log PVCs of three members: ${pvcs.join(' ')}`);
    const secrets = (await kubectl('-n', ns, 'get', 'secrets', '-o', 'name')).split('\n').filter((l) => l.includes('phoenix'));
    assert.deepEqual(secrets, ['secret/phoenix-init-sc']);

    await waitFor('the write NodePort of phoenix', async () => (await sql('phoenix', 31621, 'select 1')).length === 1, 60_000);
    await sql('phoenix', 31621, 'create table survived (v text); insert into survived values (\'after the leader died\')');
    await waitFor('the row on a standby', async () => (await sql('phoenix', 31622, 'select v from survived')).length === 1, 30_000);
    assert.deepEqual(await sql('phoenix', 31622, 'select v from survived'), [['after the leader died']]);
    assert.deepEqual(await sql('phoenix', 31622, 'select pg_is_in_recovery()'), [[true]]);
  });

  it('deploys the openGauss-operator 2.0 README sample.yaml (hostPath PVs) with its IP and node name adapted', async () => {
    const root = join(cli.stateDir, 'hostpath', 'ogtest01');
    const verbatim = await readFile(join(repoRoot, 'src/api/v1/fixtures/readme-sample.yaml'), 'utf8');
    // Adapted: the Pod IP and node name (to the sandbox), hostpathroot (under this test's state
    // directory, so nothing is written elsewhere), and the NodePorts (31000/31001 are the
    // developer sandbox's sample; this test owns 31600-31699).
    const adapted = verbatim
      .replace('nodename: node    ', 'nodename: node1    ')
      .replace('ip: 192.170.0.110', `ip: 127.10.${offset + 1}.110`)
      .replace('hostpathroot: /docker/opengauss_operator/ogtest01', `hostpathroot: ${root}`)
      .replace('readport: 31000', 'readport: 31631')
      .replace('writeport: 31001', 'writeport: 31630');
    assert.equal(adapted.split('\n').filter((l, i) => l !== verbatim.split('\n')[i]).length, 5, 'exactly five lines adapted');
    await cli.kubectlIn(adapted, '-n', ns, 'apply', '-f', '-');

    await waitFor('the hostPath PVs of ogtest01', async () => (await kubectl('get', 'pv', '-l', 'app.kubernetes.io/name=ogtest01', '-o', 'name')).trim() !== '', 30_000);
    await waitReady('ogtest01');
    const pvPaths = (await kubectl('get', 'pv', '-l', 'app.kubernetes.io/name=ogtest01', '-o', 'jsonpath={range .items[*]}{.spec.hostPath.path}{"\\n"}{end}')).split('\n').filter((l) => l !== '').sort();
    const pod = `og-ogtest01-pod-127x10x${offset + 1}x110`;
    assert.deepEqual(pvPaths, [`${root}/${ns}/ogtest01/${pod}/data`, `${root}/${ns}/ogtest01/${pod}/log`]);
    assert.ok((await readdir(`${root}/${ns}/ogtest01/${pod}/data`, { recursive: true })).length > 0, 'the database lives under hostpathroot');
    await waitFor('the write NodePort of ogtest01', async () => (await sql('ogtest01', 31630, 'select 1')).length === 1, 60_000);
    assert.deepEqual(await sql('ogtest01', 31630, 'show max_connections'), [['2000']]);
  });
});
