import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, chmod, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheRoot, computeCacheKey, isCacheEntryIntact, writeManifest } from './build-cache.ts';
import { withFileLock } from './file-lock.ts';

async function entryWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ogo-cache-test-'));
  for (const [name, content] of Object.entries(files)) {
    await writeFile(join(dir, name), content);
    await chmod(join(dir, name), 0o755);
  }
  return dir;
}

describe('control-plane build cache', () => {
  it('keys entries by every input, so a changed go.sum or Go version builds anew', () => {
    const key = computeCacheKey(['mod', 'sum', 'go1.26']);
    assert.match(key, /^[0-9a-f]{12}$/);
    assert.equal(computeCacheKey(['mod', 'sum', 'go1.26']), key);
    assert.notEqual(computeCacheKey(['mod', 'sum2', 'go1.26']), key);
    assert.notEqual(computeCacheKey(['modsum', '', 'go1.26']), key);
  });

  it('lives under XDG_CACHE_HOME when set, else ~/.cache', () => {
    assert.equal(cacheRoot({ XDG_CACHE_HOME: '/x' }), '/x/opengauss-operator');
    assert.match(cacheRoot({}), /\/\.cache\/opengauss-operator$/);
  });

  it('accepts an entry whose binaries match its manifest', async () => {
    const dir = await entryWith({ a: 'binary a', b: 'binary b' });
    try {
      await writeManifest(dir, 'v1', ['a', 'b'], 1);
      assert.equal(await isCacheEntryIntact(dir, ['a', 'b']), true);
    } finally { await rm(dir, { recursive: true }); }
  });

  it('treats an entry without a manifest (an interrupted build) as corrupt', async () => {
    const dir = await entryWith({ a: 'binary a' });
    try {
      assert.equal(await isCacheEntryIntact(dir, ['a']), false);
    } finally { await rm(dir, { recursive: true }); }
  });

  it('treats a truncated, missing or rewritten binary as corrupt', async () => {
    const dir = await entryWith({ a: 'binary a', b: 'binary b' });
    try {
      await writeManifest(dir, 'v1', ['a', 'b'], 1);
      await writeFile(join(dir, 'a'), 'binary X'); // same size, other content, new mtime
      assert.equal(await isCacheEntryIntact(dir, ['a', 'b']), false);
      await writeFile(join(dir, 'a'), 'bin');
      assert.equal(await isCacheEntryIntact(dir, ['a', 'b']), false);
      assert.equal(await isCacheEntryIntact(dir, ['a', 'b', 'c']), false);
    } finally { await rm(dir, { recursive: true }); }
  });

  it('accepts a binary whose mtime moved but whose content is unchanged', async () => {
    const dir = await entryWith({ a: 'binary a' });
    try {
      await writeManifest(dir, 'v1', ['a'], 1);
      await utimes(join(dir, 'a'), new Date(0), new Date(0));
      assert.equal(await isCacheEntryIntact(dir, ['a']), true);
    } finally { await rm(dir, { recursive: true }); }
  });

  it('lets one holder at a time into a file lock and takes over a stale lock', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ogo-lock-test-'));
    try {
      const lock = join(dir, 'x.lock');
      const order: string[] = [];
      const slow = withFileLock(lock, () => undefined, async () => { order.push('a-in'); await new Promise((r) => setTimeout(r, 300)); order.push('a-out'); });
      await new Promise((r) => setTimeout(r, 50));
      let waited = false;
      await withFileLock(lock, () => { waited = true; }, () => { order.push('b'); return Promise.resolve(); });
      await slow;
      assert.deepEqual(order, ['a-in', 'a-out', 'b']);
      assert.equal(waited, true);
      await writeFile(lock, '999999999'); // a PID that cannot exist
      await withFileLock(lock, () => assert.fail('a stale lock must not block'), () => Promise.resolve());
    } finally { await rm(dir, { recursive: true }); }
  });
});
