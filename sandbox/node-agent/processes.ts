// Container processes: spawned detached (own process group, stdout and stderr straight into a
// file) so they outlive the agent like containers outlive a kubelet; identified across agent
// restarts by PID plus the start time in /proc/<pid>/stat, so a recycled PID is never adopted.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import type { LaunchCommand } from './launch-command.ts';

export type ProcessExit = { readonly code: number | null; readonly signal: NodeJS.Signals | null };

export type ContainerProcess = {
  readonly pid: number;
  readonly startTicks: string;
  /** Settles when the process is gone; `adopted` processes report code null, signal null. */
  readonly exited: Promise<ProcessExit>;
};

export const signalNumbers: Readonly<Record<string, number>> = constants.signals;

/** Field 22 of /proc/<pid>/stat (start time in clock ticks), or undefined when gone or a zombie. */
export function readStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
    return fields[19];
  } catch {
    return undefined;
  }
}

export function isSameProcess(pid: number, startTicks: string): boolean {
  return readStartTicks(pid) === startTicks;
}

export function spawnContainerProcess(launch: LaunchCommand, outputFile: string): Promise<ContainerProcess> {
  const fd = openSync(outputFile, 'a');
  try {
    const child = spawn(launch.file, [...launch.args], { env: launch.env, detached: true, stdio: ['ignore', fd, fd] });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => {
        const pid = child.pid ?? -1;
        const exited = new Promise<ProcessExit>((done) => child.once('exit', (code, signal) => done({ code, signal })));
        child.unref();
        resolve({ pid, startTicks: readStartTicks(pid) ?? '', exited });
      });
    });
  } finally {
    closeSync(fd);
  }
}

/** Watches a process the agent did not start (after an agent restart) until it is gone. */
export function adoptProcess(pid: number, startTicks: string, pollMs = 500): ContainerProcess | undefined {
  if (!isSameProcess(pid, startTicks)) return undefined;
  const exited = new Promise<ProcessExit>((resolve) => {
    const timer = setInterval(() => {
      if (isSameProcess(pid, startTicks)) return;
      clearInterval(timer);
      resolve({ code: null, signal: null });
    }, pollMs);
  });
  return { pid, startTicks, exited };
}

/** Signals a container's process group; a gone group is not an error. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
