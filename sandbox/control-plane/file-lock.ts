// A cross-process lock on a file (Node has no flock): created with O_EXCL, holding the owner's
// PID. A lock whose owner is gone is stale and taken over. Used so parallel runs build once.
import { open, readFile, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function tryAcquire(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    await handle.writeFile(String(process.pid));
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) return false;
    await rm(path, { force: true }); // stale: its owner is gone
    return tryAcquire(path);
  }
}

export async function withFileLock<T>(path: string, onWait: () => void, work: () => Promise<T>): Promise<T> {
  let waited = false;
  while (!(await tryAcquire(path))) {
    if (!waited) onWait();
    waited = true;
    await sleep(1000);
  }
  try {
    return await work();
  } finally {
    await rm(path, { force: true });
  }
}
