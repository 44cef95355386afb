// An informer survives an API-server restart: on a private control plane, the kube-apiserver is
// stopped and started again with the same arguments; the watch breaks, the informer backs off,
// relists, and catches up with changes made after the restart.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Namespace } from '@kubernetes/client-node';
import { ensureControlPlaneBinaries } from '../../sandbox/control-plane/build.ts';
import { startControlPlane, type RunningControlPlane } from '../../sandbox/control-plane/launch.ts';
import { startProcess, stopProcess, type RecordedProcess } from '../../sandbox/control-plane/processes.ts';
import { repoRoot } from '../../sandbox/repo-root.ts';
import { createKubeClient } from '../../src/kube/client.ts';
import { createConnection } from '../../src/kube/connection.ts';
import { defineKind, Kinds } from '../../src/kube/kinds.ts';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';
import type { KubeClient } from '../../src/kube/port.ts';
import { createWatchSource } from '../../src/kube/watch-source.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { createInformer } from '../../src/runtime/informer.ts';

const NamespaceKind = defineKind<V1Namespace>({ group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, model: 'V1Namespace' });

async function until(what: string, cond: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Stops the kube-apiserver and starts it again with the same command line and ports. */
async function restartApiServer(plane: RunningControlPlane): Promise<RecordedProcess> {
  const proc = plane.processes.find((p) => p.name === 'kube-apiserver');
  assert.ok(proc, 'the plane has a kube-apiserver');
  const args = readFileSync(`/proc/${proc.pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '').slice(1);
  await stopProcess(proc);
  return startProcess('kube-apiserver', proc.binary, args, { logPath: proc.logPath });
}

describe('runtime: informer across an API-server restart', () => {
  let plane: RunningControlPlane;
  let restarted: RecordedProcess | undefined;
  const dirs: string[] = [];

  before(async () => {
    const binaries = await ensureControlPlaneBinaries({ repoRoot, log: () => undefined });
    const stateDir = await mkdtemp(join(tmpdir(), 'ogo-rt-relist-'));
    const etcdDir = await mkdtemp(join('/dev/shm', 'ogo-rt-relist-'));
    dirs.push(stateDir, etcdDir);
    plane = await startControlPlane({ stateDir, binaries, etcdDataDir: etcdDir, fsync: false });
  });

  after(async () => {
    if (restarted) await stopProcess(restarted);
    await plane?.stop();
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('relists after the watch breaks and catches up with creates and deletes made after the restart', async () => {
    const connection = createConnection(await loadKubeconfig(plane.kubeconfigPath));
    const client: KubeClient = createKubeClient(connection);
    const ns = 'rt-relist';
    await client.create(NamespaceKind, { metadata: { name: ns } });
    await client.create(Kinds.ConfigMap, { metadata: { name: 'before', namespace: ns } });
    const informer = createInformer({
      kind: Kinds.ConfigMap, source: createWatchSource(connection, client, Kinds.ConfigMap, { namespace: ns }), log: silentLogger(),
      // Short back-off so the test does not wait out the production 30 s cap.
      listWatch: { backoff: { initialMs: 200, maxMs: 2_000 } },
    });
    informer.start();
    try {
      await informer.waitForSync();
      assert.ok(informer.cache.get({ namespace: ns, name: 'before' }));
      assert.equal(informer.lists, 1);

      restarted = await restartApiServer(plane);
      await until('the API server to answer again', () => client.list(NamespaceKind).then(() => true, () => false), 90_000);
      await client.create(Kinds.ConfigMap, { metadata: { name: 'after', namespace: ns } });
      await client.delete(Kinds.ConfigMap, { namespace: ns, name: 'before' });

      await until('the informer to catch up', () => informer.cache.get({ namespace: ns, name: 'after' }) !== undefined
        && informer.cache.get({ namespace: ns, name: 'before' }) === undefined, 30_000);
      assert.ok(informer.lists >= 2, `relisted (${informer.lists} lists)`);
    } finally {
      await informer.stop();
    }
  });
});
