// Long-running sandbox processes: each in its own process group with its output in a log
// file, stopped with SIGTERM then SIGKILL. A PID from a state file is signalled only while
// /proc/<pid>/cmdline still names the binary it was recorded for, never by process name.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { HarnessError, HarnessErrorCodes } from '../harness-error.ts';

export type RecordedProcess = { readonly name: string; readonly pid: number; readonly binary: string; readonly logPath: string };

export function startProcess(name: string, binary: string, args: readonly string[], options: { logPath: string; env?: NodeJS.ProcessEnv; cwd?: string }): RecordedProcess {
  const fd = openSync(options.logPath, 'a');
  try {
    const child = spawn(binary, args, { detached: true, stdio: ['ignore', fd, fd], env: options.env ?? process.env, cwd: options.cwd });
    if (child.pid === undefined) throw new HarnessError(HarnessErrorCodes.START_FAILED, `${name} could not be started (${binary})`);
    child.unref();
    return { name, pid: child.pid, binary, logPath: options.logPath };
  } finally {
    closeSync(fd);
  }
}

/** True while the PID exists and is not a zombie (an exited child its parent has not reaped yet). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** True while the PID runs the recorded binary (a reused PID belongs to someone else). */
export function isRunning(proc: RecordedProcess): boolean {
  try {
    const cmdline = readFileSync(`/proc/${proc.pid}/cmdline`, 'utf8');
    return cmdline.split('\0')[0] === proc.binary && isAlive(proc.pid);
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

export async function stopProcess(proc: RecordedProcess, graceMs = 10_000): Promise<void> {
  if (!isRunning(proc)) return;
  signalGroup(proc.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isRunning(proc)) return;
    await sleep(50);
  }
  signalGroup(proc.pid, 'SIGKILL');
  while (isRunning(proc)) await sleep(20);
}

/** Synchronous last resort for a crashing test run: kill the groups without waiting. */
export function killNow(procs: readonly RecordedProcess[]): void {
  for (const proc of procs) if (isRunning(proc)) signalGroup(proc.pid, 'SIGKILL');
}

export function logTail(path: string, lines = 15): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
