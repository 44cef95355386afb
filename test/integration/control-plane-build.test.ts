// The control-plane build: a cold cache builds, a corrupt entry is rebuilt, an intact one is
// reused, and a missing toolchain is one clear line. Uses a private cache directory with the
// machine's Go build cache, so it relinks in seconds instead of compiling Kubernetes again.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFile, cp, mkdtemp, readdir, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureControlPlaneBinaries } from '../../sandbox/control-plane/build.ts';
import { HarnessError } from '../../sandbox/harness-error.ts';
import { repoRoot } from '../../sandbox/repo-root.ts';

const run = promisify(execFile);

describe('control-plane build', () => {
  it('builds into an empty cache, reuses an intact entry and rebuilds a corrupt one [slow]', async () => {
    const goCache = (await run('go', ['env', 'GOCACHE'])).stdout.trim();
    const cache = await mkdtemp(join(tmpdir(), 'ogo-build-cache-'));
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cache, GOCACHE: goCache };
    delete env['SANDBOX_BIN_DIR'];
    const lines: string[] = [];
    const log = (line: string): void => { lines.push(line); };
    try {
      const first = await ensureControlPlaneBinaries({ repoRoot, log, env });
      assert.ok(first.etcd.startsWith(cache) && first['kube-apiserver'].startsWith(cache));
      assert.equal(lines.filter((l) => l.startsWith('built ')).length, 2, 'both targets were built');
      const version = (await run(first['kube-apiserver'], ['--version'])).stdout;
      assert.match(version, /Kubernetes v1\.36\.3/);

      lines.length = 0;
      await ensureControlPlaneBinaries({ repoRoot, log, env });
      assert.equal(lines.length, 0, 'an intact cache is reused without building');

      const kubeMtime = (await stat(first['kube-apiserver'])).mtimeMs;
      await truncate(first.etcd, 1000);
      await ensureControlPlaneBinaries({ repoRoot, log, env });
      assert.deepEqual(lines.filter((l) => l.startsWith('built ')).map((l) => l.split(' ')[1]), ['etcd'], 'only the corrupt entry is rebuilt');
      assert.match((await run(first.etcd, ['--version'])).stdout, /etcd Version: 3\.6\.16/);
      assert.equal((await stat(first['kube-apiserver'])).mtimeMs, kubeMtime);
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });

  it('says in one line that Go is missing when there is no toolchain', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: '/nonexistent' };
    delete env['SANDBOX_BIN_DIR'];
    await assert.rejects(ensureControlPlaneBinaries({ repoRoot, log: () => undefined, env }), (error: unknown) => {
      assert.ok(error instanceof HarnessError);
      assert.equal(error.code, 'SBX_ERR_MISSING_TOOL');
      assert.match(error.message, /^no Go toolchain: install Go/);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
  });

  it('reports a failed build in one line naming its log, and caches nothing', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ogo-broken-repo-'));
    const cache = await mkdtemp(join(tmpdir(), 'ogo-broken-cache-'));
    try {
      await cp(join(repoRoot, 'hack'), join(root, 'hack'), { recursive: true });
      await appendFile(join(root, 'hack/k8sbin/go.mod'), '\nreplace k8s.io/kubernetes => ./no-such-directory\n');
      const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cache };
      delete env['SANDBOX_BIN_DIR'];
      await assert.rejects(ensureControlPlaneBinaries({ repoRoot: root, log: () => undefined, env }), (error: unknown) => {
        assert.ok(error instanceof HarnessError);
        assert.equal(error.code, 'SBX_ERR_BUILD_FAILED');
        assert.match(error.message, /^control-plane build failed \(go exited \d+\); see .*build-kube-v1\.36\.3\.log$/);
        return true;
      });
      assert.deepEqual((await readdir(join(cache, 'opengauss-operator', 'kube'))).filter((f) => !f.endsWith('.lock')), [], 'no partial entry is left');
    } finally {
      await Promise.all([root, cache].map((d) => rm(d, { recursive: true, force: true })));
    }
  });

  it('names the missing binary when SANDBOX_BIN_DIR lacks one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ogo-bin-'));
    try {
      await assert.rejects(ensureControlPlaneBinaries({ repoRoot, log: () => undefined, env: { ...process.env, SANDBOX_BIN_DIR: dir } }),
        /SANDBOX_BIN_DIR=.* has no kube-apiserver/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
