// Drives a private sandbox the way a developer does: `npm run sandbox -- …` and kubectl, with its
// own state directory and node index offset so it never meets a running sandbox or another test.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
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

/** PIDs whose environment holds `POD_IP=<ip>`: the processes of that Pod, wherever they wandered. */
export function podProcesses(podIp: string): number[] {
  const marker = `\0POD_IP=${podIp}\0`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (`\0${readFileSync(`/proc/${entry}/environ`, 'latin1')}`.includes(marker)) pids.push(Number(entry));
    } catch {
      // exited meanwhile, or a kernel thread
    }
  }
  return pids;
}
