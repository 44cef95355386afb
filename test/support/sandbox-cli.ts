// Drives a private sandbox the way a developer does: `npm run sandbox -- …` and kubectl, with its
// own state directory and node index offset so it never meets a running sandbox or another test.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { allSandboxesCgroupDir, cgroupPids } from '../../sandbox/node-agent/cgroups.ts';
import { repoRoot } from '../../sandbox/repo-root.ts';

const run = promisify(execFile);

export type Output = { readonly stdout: string; readonly stderr: string };

export type SandboxCli = {
  readonly stateDir: string;
  sandbox(...args: string[]): Promise<Output>;
  kubectl(...args: string[]): Promise<Output>;
  /** kubectl with `input` on stdin (e.g. `apply -f -`). */
  kubectlIn(input: string, ...args: string[]): Promise<Output>;
};

export function sandboxCli(stateDir: string, nodeIndexOffset: number): SandboxCli {
  const env = { ...process.env, SANDBOX_STATE_DIR: stateDir, SANDBOX_NODE_INDEX_OFFSET: String(nodeIndexOffset) };
  const kubectlPath = join(stateDir, 'bin', 'kubectl');
  const kubeconfig = ['--kubeconfig', join(stateDir, 'kubeconfig')];
  return {
    stateDir,
    sandbox: (...args) => run(process.execPath, [join(repoRoot, 'sandbox/cli.ts'), ...args], { cwd: repoRoot, env, maxBuffer: 16 << 20 }),
    kubectl: (...args) => run(kubectlPath, [...kubeconfig, ...args], { maxBuffer: 16 << 20 }),
    kubectlIn: (input, ...args) => {
      const pending = run(kubectlPath, [...kubeconfig, ...args]);
      pending.child.stdin?.end(input);
      return pending;
    },
  };
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s${last instanceof Error ? ` (last error: ${last.message})` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function hasPodIp(pid: string, marker: string): boolean {
  try {
    return `\0${readFileSync(`/proc/${pid}/environ`, 'latin1')}`.includes(marker);
  } catch {
    return false; // exited meanwhile, or a kernel thread
  }
}

/** Every Pod's cgroup directory of every sandbox on this machine: og-sandbox/<sandbox>/<node>/<pod uid>. */
function podCgroupDirs(): string[] {
  const subdirs = (dir: string): string[] => {
    try {
      return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(dir, e.name));
    } catch {
      return []; // removed meanwhile
    }
  };
  const root = allSandboxesCgroupDir();
  return root === undefined ? [] : subdirs(root).flatMap(subdirs).flatMap(subdirs);
}

/**
 * The processes of the Pod with this IP, wherever they wandered. Each container process starts
 * with `POD_IP=<ip>` in its environment, but PostgreSQL's backends and auxiliary processes write
 * their process title over that memory, so /proc/<pid>/environ no longer shows it: every process
 * in the cgroup of a Pod that has a marked process belongs to that Pod too.
 */
export function podProcesses(podIp: string): number[] {
  const marker = `\0POD_IP=${podIp}\0`;
  const marked = new Set(readdirSync('/proc').filter((e) => /^\d+$/.test(e) && hasPodIp(e, marker)).map(Number));
  const pids = new Set(marked);
  for (const dir of podCgroupDirs()) {
    const members = cgroupPids(dir);
    if (members.some((pid) => marked.has(pid))) for (const pid of members) pids.add(pid);
  }
  return [...pids].sort((a, b) => a - b);
}

