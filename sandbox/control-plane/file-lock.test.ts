import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { withFileLock } from './file-lock.ts';

async function inTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ogo-lock-test-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const readUntilStopped = `
  const { workerData, parentPort } = require('node:worker_threads');
  const { readFileSync } = require('node:fs');
  let seen = 0, empty = 0;
  while (Atomics.load(workerData.stop, 0) === 0) {
    let content;
    try { content = readFileSync(workerData.path, 'utf8'); } catch { continue; }
    seen++;
    if (content === '') empty++;
  }
  parentPort.postMessage({ seen, empty });
`;

describe('file lock', () => {
  it('lets only one of several contenders that start together hold the lock at a time', () => inTempDir(async (dir) => {
    // Contenders racing for a free lock: one that finds the lock created but its PID not yet
    // written must wait, not take the lock for stale and break in.
    const lock = join(dir, 'build.lock');
    let holders = 0;
    let mostAtOnce = 0;
    const contender = (): Promise<void> => withFileLock(lock, () => undefined, async () => {
      mostAtOnce = Math.max(mostAtOnce, ++holders);
      await sleep(50);
      holders--;
    });
    await Promise.all([contender(), contender(), contender()]);
    assert.equal(mostAtOnce, 1);
    assert.deepEqual(await readdir(dir), [], 'the lock and its temporary files are gone');
  }));

  it('never lets a contender see the lock file without its PID', () => inTempDir(async (dir) => {
    // Another process reading the lock between its creation and the PID being written would take
    // it for stale and break in. A reader on another thread, as fast as it can, while this one
    // takes and releases the lock: every read must see a PID (or no file).
    const lock = join(dir, 'build.lock');
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const reader = new Worker(readUntilStopped, { eval: true, workerData: { path: lock, stop } });
    const counts = new Promise<{ seen: number; empty: number }>((resolve) => reader.once('message', resolve));
    for (let i = 0; i < 300; i++) await withFileLock(lock, () => undefined, () => Promise.resolve());
    Atomics.store(stop, 0, 1);
    const { seen, empty } = await counts;
    await reader.terminate();
    assert.ok(seen > 0, 'the reader saw the lock at all');
    assert.equal(empty, 0, `${empty} of ${seen} reads found the lock empty`);
  }));

  it('waits while the owner lives and takes over a lock whose owner is gone', () => inTempDir(async (dir) => {
    const lock = join(dir, 'build.lock');
    await writeFile(lock, String(process.ppid)); // a live owner (our parent)
    let waited = false;
    const taken = withFileLock(lock, () => { waited = true; }, () => Promise.resolve('built'));
    await sleep(100);
    assert.equal(waited, true);
    await writeFile(lock, '999999999'); // the owner died: a PID that cannot exist
    assert.equal(await taken, 'built');
  }));

  it('stops waiting at once when the signal aborts', () => inTempDir(async (dir) => {
    const lock = join(dir, 'build.lock');
    await writeFile(lock, String(process.ppid));
    const controller = new AbortController();
    const waiting = withFileLock(lock, () => controller.abort(new Error('interrupted')), () => Promise.resolve(), controller.signal);
    await assert.rejects(waiting, /^Error: interrupted$/);
  }));
});
