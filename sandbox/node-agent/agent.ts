// The node agent: registers the Node, heartbeats, runs the Pods bound to it and serves the
// kubelet API. Pod processes are detached and survive the agent (a kubelet restart); a new agent
// re-adopts them from the saved state.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:https';
import type { V1Pod } from '@kubernetes/client-node';
import type { AgentContext } from './agent-context.ts';
import { agentPaths } from './agent-paths.ts';
import { createApiClient, type ApiClient } from './api-client.ts';
import { createCgroups } from './cgroups.ts';
import { createEventRecorder } from './events.ts';
import { operatorEntryPoint } from '../operator-build.ts';
import { resolveImage } from './image-table.ts';
import { createNodeIpam } from './ipam.ts';
import { startKubeletServer } from './kubelet-server.ts';
import { createLogger, type Logger } from './log.ts';
import { startHeartbeat, type Heartbeat } from './node-heartbeat.ts';
import { defaultCapacity, nodeLabels } from './node-object.ts';
import { nodeAddress } from './pod-ip.ts';
import { loadEngineImages, loadNetwork, loadStorage } from './plugins.ts';
import { killSavedPod } from './pod-reaper.ts';
import { createPodStateStore, type SavedPod } from './pod-state-store.ts';
import { PodWorker } from './pod-worker.ts';
import { readStartTicks } from './processes.ts';
import { startWatchLoop, type WatchLoop } from './watch-loop.ts';
import { startClusterWatches } from './cluster-watches.ts';
import { fileURLToPath } from 'node:url';

export type AgentOptions = {
  readonly stateDir: string;
  readonly name: string;
  readonly index: number;
  readonly kubeconfigPath: string;
  readonly servingCertPath: string;
  readonly servingKeyPath: string;
  /** The cluster CA, which authenticates clients of the kubelet API. */
  readonly clientCaPath: string;
  readonly kubeletPort: number;
  readonly repoRoot: string;
  readonly labels?: Readonly<Record<string, string>>;
};

export type RunningAgent = { stop(): Promise<void> };

const shimDir = fileURLToPath(new URL('./shims', import.meta.url));

function terminalWithoutState(pod: V1Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

export async function startAgent(options: AgentOptions, log: Logger = createLogger({ node: options.name })): Promise<RunningAgent> {
  const paths = agentPaths(options.stateDir, options.name);
  for (const dir of [paths.root, paths.podDataDir, paths.podLogsDir]) mkdirSync(dir, { recursive: true });
  writeFileSync(paths.agentFile, JSON.stringify({ pid: process.pid, startTicks: readStartTicks(process.pid) ?? '', name: options.name, startedAt: new Date().toISOString() }));
  const api = createApiClient(options.kubeconfigPath);
  const hostIp = nodeAddress(options.index);
  const node = { name: options.name, internalIp: hostIp, kubeletPort: options.kubeletPort, labels: nodeLabels(options.name, options.labels), capacity: defaultCapacity };
  const heartbeat = await startHeartbeat(api, node, log);
  const pluginCtx = { nodeName: options.name, nodeIndex: options.index, nodeIp: hostIp, stateDir: options.stateDir, api, log };
  const [network, storage, engine] = await Promise.all([loadNetwork(pluginCtx), loadStorage(pluginCtx), loadEngineImages(log)]);
  const cgroups = createCgroups(options.stateDir, options.name);
  if (!cgroups.available) log.warn({}, 'no writable cgroup v2 hierarchy: containers are tracked by process group only');
  const apiUrl = new URL(api.server);
  const ctx: AgentContext = {
    nodeName: options.name, nodeIndex: options.index, hostIp, api, log, events: createEventRecorder(api, options.name, log),
    podDataDir: paths.podDataDir, podLogsDir: paths.podLogsDir,
    images: (image) => resolveImage(image, { repoRoot: options.repoRoot, shimDir, operatorEntryPoint: () => operatorEntryPoint(options.repoRoot), ...(engine ? { engine } : {}) }),
    ipam: createNodeIpam(options.stateDir, options.name, options.index), network, storage, cgroups, isolate: process.getuid?.() === 0,
    apiServer: { host: apiUrl.hostname, port: apiUrl.port || '443' }, store: createPodStateStore(paths.podStateDir),
    hostPath: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin', nodeAllocatable: defaultCapacity,
  };
  const pods = new PodSet(ctx, ctx.store.loadAll());
  const [cert, key, clientCa] = [options.servingCertPath, options.servingKeyPath, options.clientCaPath].map((p) => readFileSync(p, 'utf8')) as [string, string, string];
  const server = await startKubeletServer({ host: hostIp, port: options.kubeletPort, cert, key, clientCa, pods, isolate: ctx.isolate, log });
  const watch = startWatchLoop<V1Pod>(api, '/api/v1/pods', `fieldSelector=${encodeURIComponent(`spec.nodeName=${options.name}`)}`, {
    onList: (items) => pods.sync(items),
    onEvent: (type, pod) => (type === 'DELETED' ? pods.deleted(pod) : pods.upsert(pod)),
    onError: (err) => log.warn({ err }, 'pod watch failed; relisting'),
  });
  const cluster = startClusterWatches(api, ctx, log);
  await watch.synced;
  log.info({ node: options.name, hostIp, port: options.kubeletPort }, 'node agent ready');
  return { stop: () => stopAgent({ heartbeat, watch, cluster, server, api, network, storage }) };
}

async function stopAgent(parts: { heartbeat: Heartbeat; watch: WatchLoop; cluster: { stop(): void }; server: Server; api: ApiClient; network: { close(): Promise<void> }; storage: { close(): Promise<void> } }): Promise<void> {
  parts.heartbeat.stop();
  parts.watch.stop();
  parts.cluster.stop();
  parts.server.closeAllConnections();
  await new Promise<void>((resolve) => parts.server.close(() => resolve()));
  await Promise.allSettled([parts.network.close(), parts.storage.close()]);
  parts.api.close();
}

/** The Pods bound to this node, by namespace/name, with the state saved by a previous agent. */
class PodSet {
  private readonly ctx: AgentContext;
  private readonly workers = new Map<string, PodWorker>();
  private saved: Map<string, SavedPod> | undefined;

  constructor(ctx: AgentContext, saved: readonly SavedPod[]) {
    this.ctx = ctx;
    this.saved = new Map(saved.map((s) => [s.uid, s]));
  }

  find(namespace: string, name: string): PodWorker | undefined {
    return this.workers.get(`${namespace}/${name}`);
  }

  sync(items: readonly V1Pod[]): void {
    const seen = new Set(items.map((p) => p.metadata?.uid ?? ''));
    if (this.saved !== undefined) {
      // Pods deleted while the agent was down: their processes must not outlive them.
      for (const s of this.saved.values()) {
        if (seen.has(s.uid)) continue;
        killSavedPod(s, this.ctx.cgroups);
        rmSync(`${this.ctx.podDataDir}/${s.uid}`, { recursive: true, force: true });
        this.ctx.store.remove(s.uid);
      }
    }
    for (const [key, worker] of this.workers) {
      if (!seen.has(worker.uid)) {
        this.workers.delete(key);
        void worker.removeNow();
      }
    }
    for (const pod of items) this.upsert(pod);
    this.saved = undefined;
  }

  upsert(pod: V1Pod): void {
    const key = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
    const uid = pod.metadata?.uid ?? '';
    const existing = this.workers.get(key);
    if (existing !== undefined && existing.uid === uid) {
      existing.update(pod);
      return;
    }
    if (existing !== undefined) void existing.removeNow();
    const saved = this.saved?.get(uid);
    if (saved === undefined && terminalWithoutState(pod)) return;
    const worker = new PodWorker(this.ctx, pod, saved);
    this.workers.set(key, worker);
    worker.update(pod);
  }

  deleted(pod: V1Pod): void {
    const key = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
    const worker = this.workers.get(key);
    if (worker === undefined || worker.uid !== pod.metadata?.uid) return;
    this.workers.delete(key);
    void worker.removeNow();
  }
}
