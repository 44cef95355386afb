// Finds processes by what their command lines name (a test's unique directory) or by their
// parent, reading /proc: how a test proves that nothing it caused to start is still running.
import { readdirSync, readFileSync } from 'node:fs';
import { isAlive } from '../../sandbox/control-plane/processes.ts';

export type ProcessInfo = { readonly pid: number; readonly ppid: number; readonly args: readonly string[] };

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return args.length > 0 && isAlive(pid) ? { pid, ppid, args } : undefined;
  } catch {
    return undefined; // exited meanwhile, or a kernel thread
  }
}

/** Live processes (zombies excluded), this one excluded. */
export function listProcesses(): ProcessInfo[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number).filter((pid) => pid !== process.pid)
    .map(readProcess).filter((p) => p !== undefined);
}

/** Live processes with `text` anywhere in their command line. */
export function processesMentioning(text: string): ProcessInfo[] {
  return listProcesses().filter((p) => p.args.some((a) => a.includes(text)));
}

/** The value after `flag` (`--flag value` or `--flag=value`) in a command line. */
export function argValue(args: readonly string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  if (at >= 0) return args[at + 1];
  return args.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
}
