// Warm start of the control plane: from launching etcd to the default ServiceAccount existing,
// with binaries already cached, as the sandbox runs it (etcd with fsync on disk) and as the tests
// run it (etcd on tmpfs without fsync). Also the time to stop. Runs 5 times each (`-- N` for more).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureControlPlaneBinaries } from '../sandbox/control-plane/build.ts';
import { startControlPlane } from '../sandbox/control-plane/launch.ts';
import { repoRoot } from '../sandbox/repo-root.ts';
import { summarize } from './stats.ts';

async function once(binaries: Awaited<ReturnType<typeof ensureControlPlaneBinaries>>, tmpfs: boolean): Promise<{ startSeconds: number; stopSeconds: number }> {
  const stateDir = await mkdtemp(join(tmpdir(), 'ogo-bench-cp-'));
  const etcdDir = tmpfs ? await mkdtemp(join('/dev/shm', 'ogo-bench-etcd-')) : join(stateDir, 'etcd');
  try {
    const t0 = performance.now();
    const plane = await startControlPlane({ stateDir, binaries, etcdDataDir: etcdDir, fsync: !tmpfs });
    const t1 = performance.now();
    await plane.stop();
    const t2 = performance.now();
    return { startSeconds: (t1 - t0) / 1000, stopSeconds: (t2 - t1) / 1000 };
  } finally {
    await rm(stateDir, { recursive: true, force: true });
    if (tmpfs) await rm(etcdDir, { recursive: true, force: true });
  }
}

export const controlPlaneBenchmark = {
  describe: 'warm start (cached binaries) and stop of etcd + kube-apiserver + controller-manager + scheduler',
  run: async (args: readonly string[]) => {
    const runs = Number(args[0] ?? 5);
    const binaries = await ensureControlPlaneBinaries({ repoRoot, log: (l) => process.stdout.write(`${l}\n`) });
    const result: Record<string, unknown> = { runs };
    for (const [label, tmpfs] of [['sandbox (etcd fsync, on disk)', false], ['tests (etcd on tmpfs, no fsync)', true]] as const) {
      const starts: number[] = [];
      const stops: number[] = [];
      for (let i = 0; i < runs; i++) {
        const r = await once(binaries, tmpfs);
        starts.push(r.startSeconds);
        stops.push(r.stopSeconds);
      }
      result[label] = { startSeconds: summarize(starts), stopSeconds: summarize(stops), samples: starts.map((s) => Math.round(s * 1000) / 1000) };
    }
    return result;
  },
};
