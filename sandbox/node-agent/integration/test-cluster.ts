// A private control plane plus node agents for this folder's integration tests: its own state
// directory, ephemeral control-plane ports and node indexes far from the interactive sandbox's
// (so 127.10.<n>.1:10250 never clashes). `close()` stops agents, their pods and the control plane.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureControlPlaneBinaries } from '../../control-plane/build.ts';
import { startControlPlane, type RunningControlPlane } from '../../control-plane/launch.ts';
import { repoRoot } from '../../repo-root.ts';
import { createApiClient, type ApiClient } from '../api-client.ts';
import { startNodeAgent, stopNodeAgent, type LaunchedNodeAgent } from '../launch.ts';

export type TestCluster = {
  readonly stateDir: string;
  readonly plane: RunningControlPlane;
  readonly admin: ApiClient;
  readonly nodes: LaunchedNodeAgent[];
  startNode(name: string, index: number): Promise<LaunchedNodeAgent>;
  close(): Promise<void>;
};

export async function startTestCluster(nodes: readonly { name: string; index: number }[]): Promise<TestCluster> {
  const stateDir = mkdtempSync(join(tmpdir(), 'og-node-agent-'));
  const binaries = await ensureControlPlaneBinaries({ repoRoot, log: () => undefined });
  const etcdDataDir = mkdtempSync(join('/dev/shm', 'og-node-agent-etcd-'));
  const plane = await startControlPlane({ stateDir, binaries, etcdDataDir, fsync: false, killOnExit: true });
  const admin = createApiClient(plane.kubeconfigPath);
  const started: LaunchedNodeAgent[] = [];
  const startNode = async (name: string, index: number): Promise<LaunchedNodeAgent> => {
    const agent = await startNodeAgent({ stateDir, name, index, apiServerUrl: plane.apiServerUrl, repoRoot });
    started.push(agent);
    return agent;
  };
  const close = async (): Promise<void> => {
    for (const n of new Set(started.map((s) => s.name))) await stopNodeAgent({ stateDir, name: n, graceMs: 3_000 });
    admin.close();
    await plane.stop();
    rmSync(etcdDataDir, { recursive: true, force: true });
    if (process.env['OGO_KEEP_STATE'] === undefined) rmSync(stateDir, { recursive: true, force: true });
  };
  try {
    for (const n of nodes) await startNode(n.name, n.index);
  } catch (err) {
    await close();
    throw err;
  }
  return { stateDir, plane, admin, nodes: started, startNode, close };
}
