// The operator deployed as a user deploys it, in a private sandbox: `up --nodes 1 --no-sample
// --detach` applies config/crd and config/default; the node agent runs both replicas of the
// Deployment as `node src/main.ts` with the ServiceAccount token. Checks: Pods Ready through
// /readyz, one holds the Lease, controller-runtime metric names on /metrics, the committed RBAC
// grants what the controller uses and no more, no 403 in the logs, and leader election hands over
// when the leader is killed (within the 15 s lease) or deleted (released at once).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { repoRoot } from '../../sandbox/repo-root.ts';
import { sandboxCli, waitFor, type SandboxCli } from '../support/sandbox-cli.ts';

const NS = 'opengauss-operator-system';
const SA = 'opengauss-operator-controller-manager';
const LEASE = 'opengauss-operator-lock';
const RUNTIME_METRICS = [
  'controller_runtime_reconcile_total', 'controller_runtime_reconcile_errors_total', 'controller_runtime_reconcile_time_seconds',
  'controller_runtime_max_concurrent_reconciles', 'controller_runtime_active_workers',
  'workqueue_depth', 'workqueue_adds_total', 'workqueue_queue_duration_seconds', 'workqueue_work_duration_seconds',
  'workqueue_retries_total', 'leader_election_master_status',
];

type Pod = { metadata: { name: string; deletionTimestamp?: string }; spec: { serviceAccountName: string; nodeName: string; volumes?: { projected?: { sources: { serviceAccountToken?: object }[] } }[] }; status: { podIP?: string; conditions?: { type: string; status: string }[] } };

const isReady = (p: Pod): boolean => p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

describe('operator deployment [e2e] [slow]', { skip: process.getuid?.() !== 0 && 'needs root (node agents)' }, () => {
  let cli: SandboxCli;
  let upOutput = '';

  async function pods(): Promise<Pod[]> {
    const list = JSON.parse((await cli.kubectl('-n', NS, 'get', 'pods', '-l', 'control-plane=controller-manager', '-o', 'json')).stdout) as { items: Pod[] };
    return list.items.filter((p) => p.metadata.deletionTimestamp === undefined);
  }
  async function holder(): Promise<string> {
    return (await cli.kubectl('-n', NS, 'get', 'lease', LEASE, '-o', 'jsonpath={.spec.holderIdentity}')).stdout;
  }
  async function leaderPod(): Promise<Pod> {
    const name = (await holder()).split('_')[0];
    const pod = (await pods()).find((p) => p.metadata.name === name);
    assert.ok(pod, `no Pod for holder ${name}`);
    return pod;
  }
  async function metrics(pod: Pod): Promise<string> {
    return (await fetch(`http://${pod.status.podIP}:8080/metrics`)).text();
  }
  async function masterStatus(pod: Pod): Promise<string | undefined> {
    return /^leader_election_master_status\{name="opengauss-operator-lock"\} (\d)$/m.exec(await metrics(pod))?.[1];
  }

  before(async () => {
    cli = sandboxCli(await mkdtemp(join(tmpdir(), 'ogo-operator-deploy-')), 230);
    upOutput = (await cli.sandbox('up', '--nodes', '1', '--no-sample', '--detach')).stdout;
  });

  after(async () => {
    await cli.sandbox('down').catch(() => undefined);
    if (process.env['OGO_KEEP_STATE'] !== '1') await rm(cli.stateDir, { recursive: true, force: true });
  });

  it('runs both replicas on the node agent with the operator\'s ServiceAccount and its projected token', async () => {
    assert.match(upOutput, /operator: 2\/2 ready/);
    const running = await pods();
    assert.equal(running.length, 2);
    for (const pod of running) {
      assert.equal(pod.spec.serviceAccountName, SA);
      assert.equal(pod.spec.nodeName, 'node1');
      assert.ok(pod.spec.volumes?.some((v) => v.projected?.sources.some((s) => s.serviceAccountToken !== undefined)), 'projected token');
      assert.match(pod.status.podIP ?? '', /^127\.10\.231\.\d+$/);
    }
    // In-cluster config: no kubeconfig, the ServiceAccount token is the only credential.
    const log = (await cli.kubectl('-n', NS, 'logs', running[0]?.metadata.name ?? '')).stdout;
    assert.match(log, /"kubeconfig":false,"msg":"operator starting"/);
  });

  it('answers /healthz and /readyz on the Pod IP, and one replica holds the Lease', async () => {
    for (const pod of await pods()) {
      assert.ok(isReady(pod), pod.metadata.name);
      for (const path of ['/healthz', '/readyz']) {
        const res = await fetch(`http://${pod.status.podIP}:8081${path}`);
        assert.equal(res.status, 200, `${pod.metadata.name}${path}`);
        assert.equal(await res.text(), 'ok\n');
      }
    }
    const leader = await leaderPod();
    assert.equal(await masterStatus(leader), '1');
    const other = (await pods()).find((p) => p.metadata.name !== leader.metadata.name);
    assert.ok(other);
    assert.equal(await masterStatus(other), '0');
  });

  it('exposes controller-runtime\'s metric names on /metrics', async () => {
    const text = await metrics(await leaderPod());
    for (const name of RUNTIME_METRICS) assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), name);
    assert.match(text, /^process_resident_memory_bytes \d/m);
  });

  it('grants the ServiceAccount every verb of the committed RBAC and refuses what it leaves out', async () => {
    const as = `--as=system:serviceaccount:${NS}:${SA}`;
    // `kind/x` reads as a named object; a subresource needs --subresource.
    const canI = async (verb: string, target: string, namespace = 'default', subresource?: string): Promise<boolean> => {
      const args = ['auth', 'can-i', verb, target, ...(subresource === undefined ? [] : ['--subresource', subresource]), '-n', namespace, as];
      return (await cli.kubectl(...args).catch((e: { stdout: string }) => e)).stdout.trim() === 'yes';
    };
    const role = parse(await readFile(join(repoRoot, 'config', 'rbac', 'role.yaml'), 'utf8')) as { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };
    const checks = role.rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.flatMap((res) => {
      const [kind = '', sub] = res.split('/');
      return r.verbs.map((v) => ({ verb: v, kind: g === '' ? kind : `${kind}.${g}`, sub }));
    })));
    assert.ok(checks.length > 40);
    const refused: string[] = [];
    for (const c of checks) if (!(await canI(c.verb, c.kind, 'default', c.sub))) refused.push(`${c.verb} ${c.kind}${c.sub === undefined ? '' : `/${c.sub}`}`);
    assert.deepEqual(refused, []);
    for (const verb of ['get', 'update']) assert.ok(await canI(verb, `leases.coordination.k8s.io/${LEASE}`, NS), `${verb} lease`);
    // Least privilege: what it must not do.
    for (const [verb, resource, ns] of [
      ['update', 'leases.coordination.k8s.io/someone-elses-lock', NS], ['delete', 'secrets', 'default'], ['delete', 'opengaussclusters.opengauss.sig', 'default'],
      ['create', 'clusterrolebindings.rbac.authorization.k8s.io', 'default'], ['update', 'pods', 'default'], ['create', 'leases.coordination.k8s.io', 'default'],
    ] as const) {
      assert.equal(await canI(verb, resource, ns), false, `${verb} ${resource} in ${ns}`);
    }
  });

  it('hands leadership over within the 15 s lease when the leader\'s process is killed', async () => {
    const before = await holder();
    const leader = (before.split('_')[0]) ?? '';
    const started = Date.now();
    await cli.sandbox('kill', `${NS}/${leader}`);
    await waitFor('a new Lease holder', async () => { const h = await holder(); return h !== '' && h !== before; }, 25_000);
    const seconds = (Date.now() - started) / 1000;
    assert.ok(seconds <= 17, `handover took ${seconds} s`);
    // The new holder is a live replica that knows it leads (the killed one restarted meanwhile).
    await waitFor('the new leader reports master status', async () => (await masterStatus(await leaderPod())) === '1', 10_000);
  });

  it('releases the Lease on SIGTERM, so deleting the leader Pod hands over in a few seconds', async () => {
    await waitFor('both replicas ready', async () => { const p = await pods(); return p.length === 2 && p.every(isReady); }, 60_000);
    const before = await holder();
    const leader = before.split('_')[0] ?? '';
    const started = Date.now();
    await cli.kubectl('-n', NS, 'delete', 'pod', leader, '--wait=false');
    await waitFor('a new Lease holder', async () => { const h = await holder(); return h !== '' && h !== before && !h.startsWith(leader); }, 20_000);
    const seconds = (Date.now() - started) / 1000;
    assert.ok(seconds <= 8, `handover after a clean release took ${seconds} s`);
    const log = (await cli.kubectl('-n', NS, 'logs', '-l', 'control-plane=controller-manager', '--tail=-1', '--prefix')).stdout;
    assert.doesNotMatch(log, /\b403\b|Forbidden/);
  });
});
