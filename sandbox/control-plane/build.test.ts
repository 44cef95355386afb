// The Go check in the shell: a `go` on PATH that is too old is refused, in one line, before any
// build starts. A script stands in for an old Go; it answers `go version` only.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HarnessError } from '../harness-error.ts';
import { repoRoot } from '../repo-root.ts';
import { ensureControlPlaneBinaries } from './build.ts';

describe('control-plane build: Go version', () => {
  it('refuses a Go older than the go.mod asks for, naming both versions, and builds nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ogo-old-go-'));
    try {
      const bin = join(dir, 'bin');
      const cache = join(dir, 'cache');
      await mkdir(bin);
      await writeFile(join(bin, 'go'), '#!/bin/sh\n[ "$1" = version ] && { echo "go version go1.25.7 linux/amd64"; exit 0; }\necho "not a real go: $*" >&2\nexit 2\n');
      await chmod(join(bin, 'go'), 0o755);
      const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:/usr/bin:/bin`, XDG_CACHE_HOME: cache };
      delete env['SANDBOX_BIN_DIR'];
      await assert.rejects(ensureControlPlaneBinaries({ repoRoot, log: () => undefined, env }), (error: unknown) => {
        assert.ok(error instanceof HarnessError);
        assert.equal(error.code, 'SBX_ERR_GO_TOO_OLD');
        assert.match(error.message, /^Go 1\.25\.7 found on PATH, but building the control plane needs Go 1\.\d+(\.\d+)? or newer \(the go line of hack\/k8sbin\/go\.mod\): install a newer Go first on PATH$/);
        return true;
      });
      assert.deepEqual(await readdir(join(cache, 'opengauss-operator')).catch(() => []), [], 'no build was started');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
