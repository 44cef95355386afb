// `npm run bench -- deploy [clusters]`: the operator deployed in a private sandbox (3 nodes, node
// indexes 251-253, NodePorts 31500-31599) as a user deploys it (issue 5, Performance):
// - manifest applied → `state: ready` for 1 primary + 2 standbys, p50 over `clusters` (default 5)
//   clusters created one after another with distinct names, member IPs and NodePorts;
// - a spec change (spec.readport) → the first write of the child it affects (the read Service's
//   nodePort, seen by a watch), p99;
// - a no-op reconcile, p99, from the leader's controller_runtime_reconcile_time_seconds histogram:
//   the difference of two scrapes around a quiet window in which no object of the namespace changed;
// - the leader operator's RSS (VmRSS) with 10 clusters.
// It measures and never asserts.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, Watch, setHeaderOptions } from '@kubernetes/client-node';
import { clusterManifest } from '../test/support/og-cluster.ts';
import { podProcesses, sandboxCli, waitFor, type SandboxCli } from '../test/support/sandbox-cli.ts';
import { OPERATOR_NAMESPACE } from '../sandbox/commands/operator.ts';
import { repoRoot } from '../sandbox/repo-root.ts';
import { percentile, summarize } from './stats.ts';

const offset = 250; // nodes 127.10.251-253.1: no other sandbox, test or benchmark uses them
const ns = 'bench-deploy';
const totalClusters = 10;
const changesPerCluster = 4;
/** A change not seen within this is counted at this value (censored) and as a timeout. */
const changeTimeoutMs = 10_000;
const changePhaseBudgetMs = 150_000;
const quietWindowMs = 60_000;
const pollingPeriodSeconds = 10;
const group = { group: 'opengauss.sig', version: 'v1', plural: 'opengaussclusters', namespace: ns };

const clusterName = (i: number): string => `bench${i}`;
const writePort = (i: number): number => 31500 + 2 * i;
const readPort = (i: number): number => 31501 + 2 * i;
/** The second read port a spec change flips to: 31550+i, never used by another cluster. */
const altReadPort = (i: number): number => 31550 + i;
const round = (x: number): number => Math.round(x * 1000) / 1000;

function manifest(i: number): string {
  return clusterManifest({
    name: clusterName(i), namespace: ns, write: writePort(i), read: readPort(i),
    members: [1, 2, 3].map((n) => ({ nodename: `node${n}`, ip: `127.10.${offset + n}.${10 + i}` })),
    extra: `  schedule: {pollingPeriod: ${pollingPeriodSeconds}}\n`,
  });
}

/**
 * The sandbox Nodes declare 4 CPUs and 8 Gi (their agents re-post that every 10 s), while an openGauss
 * Pod requests at least 2.5 Gi: three Pods a node, three 1+2 clusters in all. The benchmark declares
 * more (re-patched every second while it runs) so that the scheduler places the Pods of 10 clusters;
 * the agents admit Pods without checking resources, so nothing else changes.
 */
function declareRoomForTenClusters(core: CoreV1Api): () => void {
  const room = { cpu: '64', memory: '128Gi', pods: '110', 'ephemeral-storage': '20Gi' };
  const patch = (): void => {
    for (const name of ['node1', 'node2', 'node3']) {
      void core.patchNodeStatus({ name, body: { status: { capacity: room, allocatable: room } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)).catch(() => undefined);
    }
  };
  patch();
  const timer = setInterval(patch, 1_000);
  return () => clearInterval(timer);
}

type Clients = { core: CoreV1Api; custom: CustomObjectsApi; watch: Watch; cli: SandboxCli };

async function clusterState(c: Clients, name: string): Promise<string | undefined> {
  const o = (await c.custom.getNamespacedCustomObject({ ...group, name })) as { status?: { state?: string } };
  return o.status?.state;
}

/** Seconds from `kubectl apply` to `state: ready` (polled every 100 ms). */
async function applyAndTimeReady(c: Clients, i: number): Promise<number> {
  const t0 = performance.now();
  await c.cli.kubectlIn(manifest(i), 'apply', '-f', '-');
  await waitFor(`${clusterName(i)} ready`, async () => (await clusterState(c, clusterName(i))) === 'ready', 240_000);
  return (performance.now() - t0) / 1000;
}

/** Seconds from the merge patch of spec.readport to the watch event of the read Service carrying it. */
async function timeReadPortChange(c: Clients, i: number, port: number): Promise<number | undefined> {
  const service = `og-${clusterName(i)}-svc-read`;
  let resolveSeen: (t: number) => void = () => undefined;
  const seen = new Promise<number>((resolve) => { resolveSeen = resolve; });
  const abort = await c.watch.watch(`/api/v1/namespaces/${ns}/services`, { fieldSelector: `metadata.name=${service}` },
    (_phase: string, obj: { spec?: { ports?: { nodePort?: number }[] } }) => {
      if (obj.spec?.ports?.[0]?.nodePort === port) resolveSeen(performance.now());
    }, () => undefined);
  try {
    await new Promise((r) => setTimeout(r, 200)); // the initial ADDED event (old port) passes first
    const t0 = performance.now();
    await c.custom.patchNamespacedCustomObject({ ...group, name: clusterName(i), body: { spec: { readport: port } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), changeTimeoutMs).unref());
    const at = await Promise.race([seen, timeout]);
    return at === undefined ? undefined : (at - t0) / 1000;
  } finally {
    abort.abort();
  }
}

type Histogram = { buckets: Map<number, number>; count: number; sum: number };

function parseHistogram(text: string, metric: string): Map<string, Histogram> {
  const out = new Map<string, Histogram>();
  const get = (controller: string): Histogram => {
    let h = out.get(controller);
    if (h === undefined) out.set(controller, h = { buckets: new Map(), count: 0, sum: 0 });
    return h;
  };
  for (const line of text.split('\n')) {
    const m = new RegExp(`^${metric}_(bucket|sum|count)\\{([^}]*)\\} (\\S+)`).exec(line);
    if (m === null) continue;
    const labels = m[2] ?? '';
    const controller = /controller="([^"]*)"/.exec(labels)?.[1] ?? '';
    const value = Number(m[3]);
    const h = get(controller);
    if (m[1] === 'bucket') {
      const le = /le="([^"]*)"/.exec(labels)?.[1] ?? '+Inf';
      h.buckets.set(le === '+Inf' ? Infinity : Number(le), value);
    } else if (m[1] === 'sum') h.sum = value;
    else h.count = value;
  }
  return out;
}

function subtract(after: Histogram, before: Histogram | undefined): Histogram {
  const buckets = new Map<number, number>();
  for (const [le, v] of after.buckets) buckets.set(le, v - (before?.buckets.get(le) ?? 0));
  return { buckets, count: after.count - (before?.count ?? 0), sum: after.sum - (before?.sum ?? 0) };
}

/** Prometheus' histogram_quantile: linear interpolation inside the bucket holding the rank. */
function quantile(h: Histogram, q: number): number {
  const entries = [...h.buckets.entries()].sort((a, b) => a[0] - b[0]);
  const total = h.count;
  if (total === 0) return Number.NaN;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const [le, cum] of entries) {
    if (cum >= rank) {
      if (le === Infinity) return prevLe;
      return prevLe + (le - prevLe) * ((rank - prevCount) / Math.max(cum - prevCount, 1e-9));
    }
    prevLe = le;
    prevCount = cum;
  }
  return prevLe;
}

type OperatorPod = { name: string; ip: string };

async function operatorPods(c: Clients): Promise<OperatorPod[]> {
  const pods = await c.core.listNamespacedPod({ namespace: OPERATOR_NAMESPACE, labelSelector: 'control-plane=controller-manager' });
  return pods.items.filter((p) => p.metadata?.deletionTimestamp === undefined && p.status?.podIP !== undefined)
    .map((p) => ({ name: p.metadata?.name ?? '', ip: p.status?.podIP ?? '' }));
}

async function scrape(ip: string): Promise<string> {
  return (await fetch(`http://${ip}:8080/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
}

/** The replica whose /metrics says leader_election_master_status 1. */
async function leader(c: Clients): Promise<OperatorPod> {
  for (const pod of await operatorPods(c)) {
    const text = await scrape(pod.ip).catch(() => '');
    if (/^leader_election_master_status\{[^}]*\} 1$/m.test(text)) return pod;
  }
  throw new Error('no operator replica reports leadership');
}

async function vmRssMiB(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kib = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  return kib === undefined ? undefined : Math.round(Number(kib) / 1024 * 10) / 10;
}

async function operatorRss(pod: OperatorPod): Promise<Record<string, unknown>> {
  const processes: { pid: number; cmd: string; rssMiB: number | undefined }[] = [];
  for (const pid of podProcesses(pod.ip)) {
    const cmd = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ').trim();
    processes.push({ pid, cmd: cmd.slice(0, 120), rssMiB: await vmRssMiB(pid) });
  }
  // The sandbox runs the operator's JavaScript build (…/og-operator/<hash>/main.js) or, without one, src/main.ts.
  const main = processes.find((p) => /\/main\.(js|ts)\b/.test(p.cmd));
  return { pod: pod.name, podIp: pod.ip, mainProcessRssMiB: main?.rssMiB, allPodProcessesRssMiB: round(processes.reduce((a, p) => a + (p.rssMiB ?? 0), 0)), processes };
}

/** resourceVersions of the clusters, Pods, Services, ConfigMaps and PVCs of the namespace. */
async function versions(c: Clients): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const add = (kind: string, items: readonly { metadata?: { name?: string; resourceVersion?: string } }[]): void => {
    for (const o of items) out.set(`${kind}/${o.metadata?.name ?? ''}`, o.metadata?.resourceVersion ?? '');
  };
  add('ogc', ((await c.custom.listNamespacedCustomObject(group)) as { items: { metadata?: { name?: string; resourceVersion?: string } }[] }).items);
  add('pod', (await c.core.listNamespacedPod({ namespace: ns })).items);
  add('service', (await c.core.listNamespacedService({ namespace: ns })).items);
  add('configmap', (await c.core.listNamespacedConfigMap({ namespace: ns })).items);
  add('pvc', (await c.core.listNamespacedPersistentVolumeClaim({ namespace: ns })).items);
  return out;
}

function changedBetween(a: Map<string, string>, b: Map<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).sort();
}

async function noOpReconcile(c: Clients, pod: OperatorPod): Promise<Record<string, unknown>> {
  const metric = 'controller_runtime_reconcile_time_seconds';
  await new Promise((r) => setTimeout(r, 10_000)); // let the last status writes and role labels settle
  const v0 = await versions(c);
  const h0 = parseHistogram(await scrape(pod.ip), metric);
  await new Promise((r) => setTimeout(r, quietWindowMs));
  const h1 = parseHistogram(await scrape(pod.ip), metric);
  const v1 = await versions(c);
  const changed = changedBetween(v0, v1);
  const perController: Record<string, unknown> = {};
  for (const [controller, after] of h1) {
    const d = subtract(after, h0.get(controller));
    if (d.count === 0) continue;
    const le = [...d.buckets.entries()].sort((a, b) => a[0] - b[0]);
    const p99Bucket = le.find(([, cum]) => cum >= 0.99 * d.count)?.[0];
    perController[controller] = {
      passes: d.count, meanSeconds: round(d.sum / d.count),
      p50SecondsInterpolated: round(quantile(d, 0.5)), p99SecondsInterpolated: round(quantile(d, 0.99)),
      p99AtMostSeconds: p99Bucket === Infinity ? 'above 60' : p99Bucket,
      cumulativeBuckets: le.filter(([, cum]) => cum > 0).slice(0, 8).map(([b, cum]) => ({ le: b === Infinity ? '+Inf' : b, count: cum })),
    };
  }
  return {
    method: `difference of two scrapes of the leader's ${metric} ${quietWindowMs / 1000} s apart, ${totalClusters} clusters applied (see clustersReadyForRssAndNoOp), a health poll every ${pollingPeriodSeconds} s via spec.schedule.pollingPeriod; the passes count as no-op only if no object of the namespace changed in the window (objectsChangedInWindow empty). p99 is Prometheus-style interpolation inside the bucket; p99AtMostSeconds is the bucket's upper bound.`,
    objectsChangedInWindow: changed, noOpWindow: changed.length === 0,
    perController, targetP99Seconds: 0.05,
  };
}

export const deployBenchmark = {
  describe: 'operator in the sandbox: manifest→ready (1+2), spec change→child write, no-op reconcile time, leader RSS with 10 clusters',
  run: async (args: readonly string[]) => {
    const timed = Math.min(Number(args[0] ?? 5), totalClusters);
    const cli = sandboxCli(await mkdtemp(join(tmpdir(), 'ogo-bench-deploy-')), offset);
    const log = (line: string): void => { process.stdout.write(`[deploy] ${line}\n`); };
    const result: Record<string, unknown> = {};
    result['notes'] = [
      'The machine has 2 cores shared with other sessions (tests, sandboxes, benchmarks running in parallel): figures are noisy, especially manifest→ready which runs initdb and gs_ctl build -b full for each standby.',
      `Sandbox nodes 127.10.${offset + 1}-${offset + 3}.1; cluster i has member IPs 127.10.25{1,2,3}.(10+i) and NodePorts ${writePort(0)}+2i/${readPort(0)}+2i, read port flipped to 31550+i.`,
      `Clusters carry spec.schedule.pollingPeriod=${pollingPeriodSeconds} so that the quiet window holds enough health-poll (no-op) passes; the operator's default is 60 s.`,
      'The sandbox Nodes declare 4 CPUs / 8 Gi, room for three 1+2 clusters (an openGauss Pod requests at least 2.5 Gi); the benchmark patches the Nodes\' status to declare 64 CPUs / 128 Gi (every second, the agents re-post theirs every 10 s) so that 10 clusters (30 openGauss Pods) are scheduled. The agents do not check resources.',
      'Operator RSS is VmRSS of the leader replica\'s operator process (the sandbox runs its JavaScript build, as the image does, with the Deployment\'s NODE_OPTIONS), found by POD_IP in /proc/<pid>/environ; the operator runs with 2 replicas (leader election).',
    ];
    let stopDeclaring = (): void => undefined;
    try {
      const tUp = performance.now();
      await cli.sandbox('up', '--nodes', '3', '--no-sample', '--detach');
      log(`sandbox up in ${round((performance.now() - tUp) / 1000)} s`);
      const kc = new KubeConfig();
      kc.loadFromFile(join(cli.stateDir, 'kubeconfig'));
      const c: Clients = { core: kc.makeApiClient(CoreV1Api), custom: kc.makeApiClient(CustomObjectsApi), watch: new Watch(kc), cli };
      await cli.kubectl('create', 'namespace', ns);
      stopDeclaring = declareRoomForTenClusters(c.core);

      const readySamples: number[] = [];
      for (let i = 0; i < timed; i++) {
        readySamples.push(await applyAndTimeReady(c, i));
        log(`${clusterName(i)} ready in ${round(readySamples.at(-1) ?? 0)} s`);
      }
      result['manifestToReady'] = { clusters: timed, members: '1 primary + 2 standbys', seconds: summarize(readySamples), samples: readySamples.map(round), targetP50Seconds: 20, meetsTarget: percentile(readySamples, 50) <= 20 };

      const changeSamples: number[] = [];
      let timeouts = 0;
      const phaseEnd = performance.now() + changePhaseBudgetMs;
      for (let round_ = 0; round_ < changesPerCluster && performance.now() < phaseEnd; round_++) {
        for (let i = 0; i < timed && performance.now() < phaseEnd; i++) {
          const port = round_ % 2 === 0 ? altReadPort(i) : readPort(i);
          const seconds = await timeReadPortChange(c, i, port);
          if (seconds === undefined) {
            timeouts++;
            // Wait for the Service to catch up, so that the next change starts from a settled cluster.
            await waitFor('the read Service', async () => (await c.core.readNamespacedService({ name: `og-${clusterName(i)}-svc-read`, namespace: ns })).spec?.ports?.[0]?.nodePort === port, 60_000).catch(() => undefined);
          }
          changeSamples.push(seconds ?? changeTimeoutMs / 1000);
        }
      }
      const p99Change = percentile(changeSamples, 99);
      result['specChangeToChildWrite'] = {
        method: 'merge patch of spec.readport (alternating between two free NodePorts) through the API; time until a watch on the read Service delivers the new nodePort (the operator\'s server-side apply of the Service)',
        changes: changeSamples.length, timeouts, timeoutCountedAsSeconds: changeTimeoutMs / 1000, seconds: { ...summarize(changeSamples), p99: round(p99Change) }, targetP99Seconds: 1, meetsTarget: p99Change <= 1,
      };
      log(`spec change → Service p99 ${round(p99Change)} s`);

      // Up to 10 clusters for the RSS and no-op figures: the rest at once, then all ready.
      const tRest = performance.now();
      const rest = await Promise.allSettled(Array.from({ length: totalClusters - timed }, (_, k) => applyAndTimeReady(c, timed + k)));
      const readyCount = timed + rest.filter((r) => r.status === 'fulfilled').length;
      result['clustersReadyForRssAndNoOp'] = readyCount;
      log(`${readyCount} of ${totalClusters} clusters ready (the last ${totalClusters - timed} created together, ${round((performance.now() - tRest) / 1000)} s)`);

      const lead = await leader(c);
      result['noOpReconcile'] = await noOpReconcile(c, lead);
      const reconcile = (result['noOpReconcile'] as { perController: Record<string, { p99SecondsInterpolated: number }> }).perController;
      for (const v of Object.values(reconcile)) Object.assign(v, { meetsTarget: v.p99SecondsInterpolated <= 0.05 });
      const rss = await operatorRss(await leader(c));
      const mainRss = rss['mainProcessRssMiB'] as number | undefined;
      result['operatorRssWith10Clusters'] = { clustersReady: readyCount, clustersApplied: totalClusters, ...rss, targetMiB: 100, meetsTarget: mainRss !== undefined && mainRss <= 100 };
      return result;
    } catch (error) {
      // A benchmark measures: what was measured before the failure is kept, with the failure, and
      // the sandbox's logs (operator, pods, agents) are kept for whoever looks into it.
      result['error'] = error instanceof Error ? error.message : String(error);
      result['logs'] = join(repoRoot, 'bench', 'results', `deploy-logs-${Date.now()}`);
      await cli.kubectl('get', 'ogc,pods,events', '-A', '-o', 'yaml').then((o) => writeFile(join(cli.stateDir, 'logs', 'objects-at-failure.yaml'), o.stdout)).catch(() => undefined);
      return result;
    } finally {
      stopDeclaring();
      await cli.sandbox('down').catch((error: unknown) => { process.stderr.write(`bench deploy: sandbox down failed: ${String(error)}\n`); });
      if (typeof result['logs'] === 'string') await cp(join(cli.stateDir, 'logs'), result['logs'], { recursive: true }).catch(() => undefined);
      await rm(cli.stateDir, { recursive: true, force: true });
    }
  },
};
