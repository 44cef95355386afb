// What the sandbox CLI and tests call to run node agents: start one as a detached process
// (issuing its certificates and kubeconfig), stop it with all its pods, and the fault hooks
// `node stop` (crash: agent and pods SIGKILLed at once, heartbeats stop) and `kill <pod>`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCertificateKubeconfig } from '../control-plane/kubeconfig.ts';
import { caKeyPair, issueCertificate } from '../control-plane/pki.ts';
import { HarnessError, HarnessErrorCodes } from '../harness-error.ts';
import { agentPaths, type AgentRecord } from './agent-paths.ts';
import { createApiClient, type ApiClient } from './api-client.ts';
import { createCgroups } from './cgroups.ts';
import { nodeAddress } from './pod-ip.ts';
import { killSavedContainer, killSavedPod } from './pod-reaper.ts';
import { createPodStateStore } from './pod-state-store.ts';
import { isSameProcess, readStartTicks } from './processes.ts';
import { ensureNodeRbac } from './node-rbac.ts';

export { ensureNodeRbac };

const repoRootDefault = fileURLToPath(new URL('../..', import.meta.url));

export type NodeAgentLaunchOptions = {
  /** Sandbox state directory (`.sandbox/` or a test's temporary directory) holding `pki/`. */
  readonly stateDir: string;
  /** Node name, e.g. `node1`. */
  readonly name: string;
  /** n of the node: InternalIP 127.10.n.1, pod pool 127.10.n.2-254. */
  readonly index: number;
  readonly apiServerUrl: string;
  /** Admin kubeconfig for RBAC and the readiness wait; default `<stateDir>/kubeconfig`. */
  readonly adminKubeconfigPath?: string;
  readonly kubeletPort?: number;
  readonly repoRoot?: string;
  /** Extra Node labels (e.g. `topology.kubernetes.io/zone`). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly readyTimeoutMs?: number;
  readonly log?: (line: string) => void;
};

export type LaunchedNodeAgent = {
  readonly pid: number;
  readonly name: string;
  readonly nodeIp: string;
  readonly kubeletPort: number;
  readonly logPath: string;
  readonly kubeconfigPath: string;
};

export type NodeRef = { readonly stateDir: string; readonly name: string };

function readAgentRecord(ref: NodeRef): AgentRecord | undefined {
  const file = agentPaths(ref.stateDir, ref.name).agentFile;
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as AgentRecord;
  } catch {
    return undefined;
  }
}

/** The agent's PID while that very process (same /proc start time) is alive. */
export function nodeAgentPid(ref: NodeRef): number | undefined {
  const record = readAgentRecord(ref);
  return record !== undefined && isSameProcess(record.pid, record.startTicks) ? record.pid : undefined;
}

async function writeNodeCredentials(options: NodeAgentLaunchOptions, nodeIp: string): Promise<{ kubeconfig: string; cert: string; key: string; clientCa: string }> {
  const pkiDir = join(options.stateDir, 'pki');
  const paths = agentPaths(options.stateDir, options.name);
  mkdirSync(paths.root, { recursive: true });
  const client = await issueCertificate(pkiDir, { name: `node-${options.name}`, commonName: `system:node:${options.name}`, organizations: ['system:nodes'], usage: 'client' });
  const serving = await issueCertificate(pkiDir, { name: `kubelet-${options.name}`, commonName: options.name, usage: 'server', ipAddresses: [nodeIp], dnsNames: [options.name] });
  const kubeconfig = await renderCertificateKubeconfig(options.apiServerUrl, caKeyPair(pkiDir).certPath, client, `system:node:${options.name}`);
  writeFileSync(paths.kubeconfig, kubeconfig, { mode: 0o600 });
  return { kubeconfig: paths.kubeconfig, cert: serving.certPath, key: serving.keyPath, clientCa: caKeyPair(pkiDir).certPath };
}

function logTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-8).join('\n');
  } catch {
    return '(no log)';
  }
}

type NodeView = { status?: { conditions?: { type: string; status: string; lastHeartbeatTime?: string }[] } };

async function waitForNodeReady(api: ApiClient, options: NodeAgentLaunchOptions, pid: number, sinceMs: number, logPath: string): Promise<void> {
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (!isAlive(pid)) throw new HarnessError(HarnessErrorCodes.START_FAILED, `node agent ${options.name} exited during start; log ${logPath}:\n${logTail(logPath)}`);
    const res = await api.request('GET', `/api/v1/nodes/${options.name}`, { allow404: true }).catch(() => undefined);
    const ready = (res?.body as NodeView | undefined)?.status?.conditions?.find((c) => c.type === 'Ready');
    // The heartbeat must be this agent's, not a stale one from a previous run.
    if (ready?.status === 'True' && Date.parse(ready.lastHeartbeatTime ?? '') >= Math.floor(sinceMs / 1000) * 1000) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new HarnessError(HarnessErrorCodes.NOT_READY, `node ${options.name} did not register as Ready in time; log ${logPath}:\n${logTail(logPath)}`);
}

/** Alive and not a zombie (an orphaned, killed process may wait a while to be reaped). */
function isAlive(pid: number): boolean {
  return readStartTicks(pid) !== undefined;
}

/** Starts the agent for one node detached, and resolves once its Node is Ready. */
export async function startNodeAgent(options: NodeAgentLaunchOptions): Promise<LaunchedNodeAgent> {
  const repoRoot = options.repoRoot ?? repoRootDefault;
  const nodeIp = nodeAddress(options.index);
  const kubeletPort = options.kubeletPort ?? 10250;
  const paths = agentPaths(options.stateDir, options.name);
  if (nodeAgentPid(options) !== undefined) throw new HarnessError(HarnessErrorCodes.STATE, `node agent ${options.name} is already running in ${options.stateDir}`);
  const admin = createApiClient(options.adminKubeconfigPath ?? join(options.stateDir, 'kubeconfig'));
  try {
    await ensureNodeRbac(admin);
    const creds = await writeNodeCredentials(options, nodeIp);
    mkdirSync(join(options.stateDir, 'logs'), { recursive: true });
    const out = openSync(paths.logFile, 'a');
    const startedMs = Date.now();
    const args = [join(repoRoot, 'sandbox', 'node-agent', 'main.ts'), '--state-dir', options.stateDir, '--name', options.name, '--index', String(options.index),
      '--kubeconfig', creds.kubeconfig, '--cert', creds.cert, '--key', creds.key, '--client-ca', creds.clientCa, '--port', String(kubeletPort), '--repo-root', repoRoot,
      ...Object.entries(options.labels ?? {}).flatMap(([k, v]) => ['--label', `${k}=${v}`])];
    const child = spawn(join(repoRoot, 'node_modules', '.bin', 'node'), args, { detached: true, stdio: ['ignore', out, out], cwd: repoRoot });
    closeSync(out);
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', (err) => reject(new HarnessError(HarnessErrorCodes.START_FAILED, `cannot start node agent ${options.name}: ${err.message}`, { cause: err })));
      child.once('spawn', () => resolve(child.pid ?? -1));
    });
    child.unref();
    await waitForNodeReady(admin, options, pid, startedMs, paths.logFile);
    options.log?.(`node ${options.name} ready at ${nodeIp}:${String(kubeletPort)} (pid ${String(pid)})`);
    return { pid, name: options.name, nodeIp, kubeletPort, logPath: paths.logFile, kubeconfigPath: creds.kubeconfig };
  } finally {
    admin.close();
  }
}

async function killAllPods(ref: NodeRef): Promise<void> {
  const paths = agentPaths(ref.stateDir, ref.name);
  const cgroups = createCgroups(ref.stateDir, ref.name);
  for (const pod of createPodStateStore(paths.podStateDir).loadAll()) killSavedPod(pod, cgroups);
  // Anything left in this node's cgroups (a container started just before the crash).
  const nodeDir = cgroups.nodeDir();
  if (nodeDir === undefined) return;
  cgroups.kill(nodeDir);
  // Killed processes leave their cgroups a moment later; empty directories are then removed.
  for (let i = 0; i < 20 && cgroups.pids(nodeDir).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
  cgroups.remove(nodeDir);
  // The sandbox's directory too once its last node is gone (rmdir alone: other nodes' stay intact).
  try {
    rmdirSync(dirname(nodeDir));
  } catch {
    // other nodes of this sandbox still run
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isAlive(pid);
}

/**
 * Node crash (`node stop`): SIGKILL the agent and every pod process at once. Heartbeats stop, so
 * node-lifecycle-controller marks the Node NotReady after its grace period.
 */
export async function crashNode(ref: NodeRef): Promise<void> {
  const pid = nodeAgentPid(ref);
  if (pid !== undefined) process.kill(pid, 'SIGKILL');
  await killAllPods(ref);
  if (pid !== undefined) await waitGone(pid, 5_000);
}

/** Orderly stop: the agent gets SIGTERM (then SIGKILL after `graceMs`), then its pods are killed. */
export async function stopNodeAgent(ref: NodeRef & { readonly graceMs?: number }): Promise<void> {
  const pid = nodeAgentPid(ref);
  if (pid !== undefined) {
    process.kill(pid, 'SIGTERM');
    if (!(await waitGone(pid, ref.graceMs ?? 10_000))) process.kill(pid, 'SIGKILL');
    await waitGone(pid, 5_000);
  }
  await killAllPods(ref);
}

export type KillTarget = NodeRef & { readonly namespace: string; readonly pod: string; readonly container?: string };

/** `kill <pod> [container]`: SIGKILL a container's main process (all containers when none named). */
export function killContainer(target: KillTarget): string[] {
  const paths = agentPaths(target.stateDir, target.name);
  const pod = createPodStateStore(paths.podStateDir).loadAll().find((p) => p.namespace === target.namespace && p.name === target.pod);
  if (pod === undefined) throw new HarnessError(HarnessErrorCodes.STATE, `pod ${target.namespace}/${target.pod} is not running on node ${target.name}`);
  const names = target.container === undefined ? Object.keys(pod.containers) : [target.container];
  const cgroups = createCgroups(target.stateDir, target.name);
  return names.filter((n) => killSavedContainer(pod, n, cgroups));
}

/** Finds which node runs a pod (for a CLI that only knows the pod). */
export function findPodNode(stateDir: string, namespace: string, pod: string, nodeNames: readonly string[]): string | undefined {
  return nodeNames.find((name) => createPodStateStore(agentPaths(stateDir, name).podStateDir).loadAll().some((p) => p.namespace === namespace && p.name === pod));
}
