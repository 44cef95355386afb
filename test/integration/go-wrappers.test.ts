// The committed Go wrapper modules must be exactly what the generator makes for the pinned
// versions: a hand edit, or a version bump without regenerating, fails here.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../sandbox/repo-root.ts';

const run = promisify(execFile);

it('keeps hack/k8sbin and hack/etcdbin equal to what scripts/gen-go-wrappers.sh generates', async () => {
  const out = await mkdtemp(join(tmpdir(), 'ogo-gowrap-'));
  try {
    await run('bash', [join(repoRoot, 'scripts/gen-go-wrappers.sh'), out], { cwd: repoRoot });
    for (const file of ['k8sbin/go.mod', 'k8sbin/go.sum', 'etcdbin/go.mod', 'etcdbin/go.sum']) {
      const [fresh, committed] = await Promise.all([readFile(join(out, file), 'utf8'), readFile(join(repoRoot, 'hack', file), 'utf8')]);
      assert.equal(committed, fresh, `hack/${file} drifted: run scripts/gen-go-wrappers.sh and commit the result`);
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
