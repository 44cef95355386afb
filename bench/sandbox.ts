// `npm run bench -- sandbox [runs]`: the node agent and the openGauss engine in a private sandbox
// (3 nodes, node indexes 231-233): an openGauss Pod from creation to Ready, initdb included (p50
// over `runs` Pods, default 10, one at a time); a standby Pod built with `gs_ctl build -b full` from
// a primary holding 100 MiB; 100 trivial Pods created at once on one node agent (create-to-Running
// p95, and the agent's RSS); NodePort update latency after a label change (bench/sandbox-nodeports.ts).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { stopRecorded } from '../sandbox/commands/down.ts';
import { up } from '../sandbox/commands/up.ts';
import { summarize } from './stats.ts';
import { nodePortUpdates } from './sandbox-nodeports.ts';
import { busyboxPod, createAndTime, deleteAndWait, isReady, isRunning, namespace, ogPod, rssMiB } from './sandbox-pods.ts';

const run = promisify(execFile);
const offset = 230;
const ip = (node: number, host: number): string => `127.10.${offset + node}.${host}`;

async function openGaussReady(core: CoreV1Api, runs: number): Promise<Record<string, unknown>> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const name = `og-ready-${i}`;
    samples.push(await createAndTime(core, ogPod(name, 'node1', 'primary'), isReady));
    await deleteAndWait(core, [name]);
  }
  return { seconds: summarize(samples), samples: samples.map((s) => Math.round(s * 1000) / 1000), targetP50Seconds: 5 };
}

async function standbyBuild(core: CoreV1Api, kubectl: (...args: string[]) => Promise<string>): Promise<Record<string, unknown>> {
  const [primaryIp, standbyIp] = [ip(1, 50), ip(2, 50)];
  await createAndTime(core, ogPod('og-big-primary', 'node1', 'primary', primaryIp, standbyIp), isReady);
  const gsql = (sql: string): Promise<string> => kubectl('exec', 'og-big-primary', '--', 'gsql', '-d', 'postgres', '-t', '-A', '-c', sql);
  await gsql("CREATE TABLE fill AS SELECT g AS id, repeat(md5(g::text), 30) AS pad FROM generate_series(1, 105000) g");
  const bytes = Number((await gsql('SELECT pg_database_size(current_database())')).trim());
  const seconds = await createAndTime(core, ogPod('og-big-standby', 'node2', 'standby', standbyIp, primaryIp), isReady, 300_000);
  const rows = (await kubectl('exec', 'og-big-standby', '--', 'gsql', '-d', 'postgres', '-t', '-A', '-c', 'SELECT count(*) FROM fill')).trim();
  await deleteAndWait(core, ['og-big-primary', 'og-big-standby']);
  return { primaryDatabaseMiB: Math.round(bytes / 2 ** 20), standbyCreateToReadySeconds: Math.round(seconds * 1000) / 1000, rowsOnStandby: Number(rows) };
}

async function trivialPods(core: CoreV1Api, stateDir: string, count: number): Promise<Record<string, unknown>> {
  const agentPid = (JSON.parse(await readFile(join(stateDir, 'node-agent', 'node3', 'agent.json'), 'utf8')) as { pid: number }).pid;
  const idleRss = await rssMiB(agentPid);
  let peakRss = idleRss;
  const sampler = setInterval(() => void rssMiB(agentPid).then((r) => { peakRss = Math.max(peakRss, r); }, () => undefined), 200);
  const names = Array.from({ length: count }, (_, i) => `trivial-${i}`);
  const t0 = performance.now();
  // Created at once, as a Deployment scale-up would: the agent sees a burst of 100 Pods.
  const samples = await Promise.all(names.map((name) => createAndTime(core, busyboxPod(name, 'node3'), isRunning, 180_000)));
  const allRunning = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 5_000)); // steady state: probes, status, log files settle
  const steadyRss = await rssMiB(agentPid);
  clearInterval(sampler);
  const t1 = performance.now();
  await deleteAndWait(core, names);
  return {
    pods: count, createToRunningSeconds: summarize(samples), allRunningSeconds: Math.round(allRunning * 1000) / 1000,
    agentRssMiB: { idle: idleRss, peak: Math.max(peakRss, steadyRss), steadyWith100Pods: steadyRss, targetMiB: 150 },
    deleteAllSeconds: Math.round((performance.now() - t1) / 10) / 100,
  };
}

export const sandboxBenchmark = {
  describe: 'openGauss Pod create→Ready, standby gs_ctl build from a 100 MiB primary, 100 trivial Pods on one node agent, NodePort update latency',
  run: async (args: readonly string[]) => {
    const runs = Number(args[0] ?? 10);
    const stateDir = await mkdtemp(join(tmpdir(), 'ogo-bench-sandbox-'));
    process.env['SANDBOX_NODE_INDEX_OFFSET'] = String(offset);
    try {
      await up(stateDir, { nodes: 3, operator: false, sample: false, detach: true }, (l) => process.stdout.write(`${l}\n`));
      const kc = new KubeConfig();
      kc.loadFromFile(join(stateDir, 'kubeconfig'));
      const core = kc.makeApiClient(CoreV1Api);
      const kubectl = async (...a: string[]): Promise<string> => (await run(join(stateDir, 'bin', 'kubectl'), ['--kubeconfig', join(stateDir, 'kubeconfig'), '-n', namespace, ...a], { maxBuffer: 16 << 20 })).stdout;
      const result: Record<string, unknown> = {};
      result['openGaussPodCreateToReady'] = await openGaussReady(core, runs);
      result['standbyBuildFrom100MiB'] = await standbyBuild(core, kubectl);
      result['trivialPodsOnOneAgent'] = await trivialPods(core, stateDir, 100);
      result['nodePortUpdateAfterLabelChange'] = await nodePortUpdates(core, 20);
      return result;
    } finally {
      await stopRecorded(stateDir);
      await rm(stateDir, { recursive: true, force: true });
    }
  },
};
