// Small synchronous process helpers: the engine's commands are short CLI runs, so blocking is fine.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';

export type RunResult = { readonly code: number; readonly stdout: string; readonly stderr: string };

export function run(file: string, args: readonly string[], options: SpawnSyncOptions = {}): RunResult {
  const result = spawnSync(file, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  const code = result.status ?? (result.error ? 127 : 128);
  return { code, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? (result.error?.message ?? '')) };
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

export function sleepMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

// A zombie (exited, not yet reaped by its parent) counts as dead: a server this process spawned stays
// a zombie until the engine exits.
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false; // no /proc entry: kill(0) below decides
  }
}

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false; // already gone: the caller only needs to know whether the signal was delivered
  }
}

export function osUser(): string {
  return userInfo().username;
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}
