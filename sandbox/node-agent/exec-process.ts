// Runs a command inside a running container (same mount namespace, user, env and working
// directory): for exec probes and for the kubelet API's exec.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { renderExecLaunch } from './launch-command.ts';
import type { ProcessPlan } from './process-plan.ts';

export type ExecTarget = { readonly plan: ProcessPlan; readonly pid: number };

export function spawnInContainer(target: ExecTarget, argv: readonly string[], isolate: boolean, tty: boolean): ChildProcess {
  // A TTY needs a pseudo-terminal; util-linux `script` provides one without native modules. It
  // keeps the exec's pid (nsenter, sh and setpriv each exec the next), holds the pty slave open
  // for exec-terminal.ts to resize, and with -e exits with the command's status (128+signo when a
  // signal killed it).
  const command = tty ? ['script', '-qefc', argv.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' '), '/dev/null'] : argv;
  const launch = renderExecLaunch(target.plan, target.pid, command, { isolate });
  return spawn(launch.file, [...launch.args], { env: launch.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
}

/** The exit status a container runtime reports: the exit code, or 128 + the number of the killing signal. */
export function exitStatusOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return signal === null ? 1 : 128 + constants.signals[signal];
}

/** Exit code of a command, or -1 when it timed out (its process group is killed). */
export function execForStatus(target: ExecTarget, argv: readonly string[], isolate: boolean, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const child = spawnInContainer(target, argv, isolate, false);
    child.stdin?.end();
    child.stdout?.resume();
    child.stderr?.resume();
    const timer = setTimeout(() => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      resolve(-1);
    }, timeoutMs);
    child.once('error', () => { clearTimeout(timer); resolve(-1); });
    child.once('exit', (code) => { clearTimeout(timer); resolve(code ?? -1); });
  });
}
