// Runs the engine's real commands against real PostgreSQL 15 servers in a temporary directory, as
// omm when the tests run as root (CI), and removes every process and file it created afterwards.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const binDir = join(import.meta.dirname, '..', 'bin');
export const isRoot = process.getuid?.() === 0;

function ommIds(): { uid: number; gid: number } | undefined {
  if (!isRoot) return undefined;
  return { uid: Number(execFileSync('id', ['-u', 'omm'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'omm'], { encoding: 'utf8' })) };
}

export type Result = { readonly code: number; readonly stdout: string; readonly stderr: string };

export type Node = { readonly name: string; readonly ip: string; readonly port: number; readonly dataDir: string; readonly socketDir: string };

export function createSandbox(prefix: string): Sandbox {
  return new Sandbox(prefix);
}

export class Sandbox {
  readonly root: string;
  readonly ids = ommIds();
  private readonly children: ChildProcess[] = [];

  constructor(prefix: string) {
    this.root = mkdtempSync(join(tmpdir(), prefix));
    this.chown(this.root);
  }

  chown(path: string): void {
    if (this.ids) chownSync(path, this.ids.uid, this.ids.gid);
  }

  node(name: string, ip: string, port: number): Node {
    const socketDir = join(this.root, `${name}-sock`);
    mkdirSync(socketDir);
    this.chown(socketDir);
    return { name, ip, port, dataDir: join(this.root, name), socketDir };
  }

  env(node: Node | undefined, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: `${binDir}:/usr/local/bin:/usr/bin:/bin`, HOME: this.root, LANG: 'C.UTF-8',
      ...(node ? { PGHOST: node.socketDir, PGDATA: node.dataDir } : {}), ...extra,
    };
  }

  // Runs an engine command as omm (or the current user when not root).
  run(tool: string, args: readonly string[], node?: Node, options: { env?: Record<string, string>; input?: string; asRoot?: boolean } = {}): Result {
    const ids = options.asRoot ? undefined : this.ids;
    const result = spawnSync(tool.includes('/') ? tool : join(binDir, tool), args, {
      encoding: 'utf8', env: this.env(node, options.env), cwd: this.root, timeout: 120_000,
      ...(options.input === undefined ? {} : { input: options.input }), ...(ids ?? {}),
    });
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  }

  spawn(tool: string, args: readonly string[], env: Record<string, string>, asRoot: boolean): ChildProcess {
    const child = spawn(tool.includes('/') ? tool : join(binDir, tool), args, {
      env: this.env(undefined, env), cwd: this.root, stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...(asRoot ? {} : (this.ids ?? {})),
    });
    this.children.push(child);
    return child;
  }

  sql(node: Node, sql: string): Result {
    return this.run('gsql', ['-d', 'postgres', '-p', String(node.port), '-X', '-A', '-t', '-c', sql], node);
  }

  appendConf(node: Node, lines: readonly string[]): void {
    appendFileSync(join(node.dataDir, 'postgresql.conf'), `${lines.join('\n')}\n`);
  }

  // Kills every server under the sandbox (and their process groups), then removes the directory.
  cleanup(): void {
    for (const child of this.children) killGroup(child.pid);
    for (const dir of existsSync(this.root) ? readdirSync(this.root) : []) {
      const pidFile = join(this.root, dir, 'postmaster.pid');
      if (!existsSync(pidFile)) continue;
      const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      killHard(pid);
    }
    rmSync(this.root, { recursive: true, force: true });
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function killHard(pid: number): void {
  if (!(pid > 0)) return;
  try {
    process.kill(pid, 'SIGQUIT');
    spawnSync('sleep', ['0.3']);
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

// Field values of a gs_ctl query section, e.g. field(text, 'HA state', 'local_role').
export function queryField(text: string, section: string, name: string): string | undefined {
  const start = text.indexOf(` ${section}:`);
  if (start < 0) return undefined;
  const rest = text.slice(start + 1);
  const end = rest.search(/\n [A-Z][a-z]+ (state|info):/);
  const body = end < 0 ? rest : rest.slice(0, end);
  return new RegExp(`^\\t${name}\\s+: (.*)$`, 'm').exec(body)?.[1];
}

export function replconninfo(self: Node, peer: Node): string {
  return `replconninfo1 = 'localhost=${self.ip} localport=${self.port + 1} localheartbeatport=${self.port + 5} localservice=${self.port + 4} remotehost=${peer.ip} remoteport=${peer.port + 1} remoteheartbeatport=${peer.port + 5} remoteservice=${peer.port + 4}'`;
}
