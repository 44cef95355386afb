// Cold build of the control plane: an empty binary cache AND an empty Go build cache (modules
// already downloaded), as on a fresh CI machine after `go mod download`. Takes minutes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureControlPlaneBinaries } from '../sandbox/control-plane/build.ts';
import { readManifest } from '../sandbox/control-plane/build-cache.ts';
import { repoRoot } from '../sandbox/repo-root.ts';

export const controlPlaneBuildBenchmark = {
  describe: 'cold build of etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kubectl (empty caches)',
  run: async () => {
    const cache = await mkdtemp(join(tmpdir(), 'ogo-bench-build-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cache, GOCACHE: join(cache, 'go-build') };
      delete env['SANDBOX_BIN_DIR'];
      const t0 = performance.now();
      const binaries = await ensureControlPlaneBinaries({ repoRoot, env, log: (l) => process.stdout.write(`${l}\n`) });
      const totalSeconds = (performance.now() - t0) / 1000;
      const perTarget: Record<string, number | undefined> = {};
      for (const dir of binaries.dirs) perTarget[dir.includes('/etcd/') ? 'etcd' : 'kube'] = (await readManifest(dir))?.buildSeconds;
      return { totalSeconds: Math.round(totalSeconds), perTargetSeconds: perTarget };
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  },
};
