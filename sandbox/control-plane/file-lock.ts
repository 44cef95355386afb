// A cross-process lock on a file (Node has no flock), holding the owner's PID. The file appears
// complete or not at all: the PID is written to a private temporary file, which is then hard-linked
// to the lock's name (link fails if the name exists). Were the lock created empty and filled
// afterwards, a contender reading it in between would take it for stale and break in. A lock
// whose owner is gone is stale and taken over. Used so parallel runs build once.
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { pause } from './interrupt.ts';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock's content, or undefined when it no longer exists. */
async function readOwner(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function tryAcquire(path: string): Promise<boolean> {
  const filled = `${path}.${process.pid}-${randomUUID()}`;
  await writeFile(filled, String(process.pid));
  try {
    await link(filled, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const content = await readOwner(path);
    if (content === undefined) return tryAcquire(path); // released meanwhile
    const owner = Number.parseInt(content, 10);
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) return false;
    await rm(path, { force: true }); // stale: its owner is gone
    return tryAcquire(path);
  } finally {
    await rm(filled, { force: true });
  }
}

export async function withFileLock<T>(path: string, onWait: () => void, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  let waited = false;
  while (!(await tryAcquire(path))) {
    if (!waited) onWait();
    waited = true;
    await pause(1000, signal);
  }
  try {
    return await work();
  } finally {
    await rm(path, { force: true });
  }
}
