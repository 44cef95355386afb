// One cgroup v2 directory per container (<root>/og-sandbox/<sandbox>/<node>/<pod uid>/<container>), so
// "kill the container" reaches every process it started, including daemons that left its
// process group (`cgroup.kill`, Linux ≥ 5.14). Without a writable cgroup v2 hierarchy the agent
// falls back to process groups and says so once. <sandbox> is a hash of the state directory:
// several sandboxes (a developer's, the tests') all name their nodes node1..nodeN, and a node
// crash in one must never kill another one's Pods.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type Cgroups = {
  readonly available: boolean;
  containerDir(podUid: string, container: string): string | undefined;
  ensure(dir: string): void;
  /** SIGKILLs every process in the directory (and below). */
  kill(dir: string): void;
  pids(dir: string): number[];
  /** Removes a pod's (or container's) directories once empty; ignores busy ones. */
  remove(dir: string): void;
  podDir(podUid: string): string | undefined;
  nodeDir(): string | undefined;
};

function findHierarchy(): string | undefined {
  for (const candidate of ['/sys/fs/cgroup', '/sys/fs/cgroup/unified']) {
    if (existsSync(join(candidate, 'cgroup.procs')) && existsSync(join(candidate, 'cgroup.subtree_control'))) return candidate;
  }
  return undefined;
}

function tryWrite(path: string, text: string): boolean {
  try {
    writeFileSync(path, text);
    return true;
  } catch {
    return false;
  }
}

function removeTree(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) removeTree(join(dir, entry.name));
  try {
    rmdirSync(dir);
  } catch {
    // still populated: a later cleanup pass removes it
  }
}

/** Every PID in a cgroup directory and below (none when it does not exist). */
export function cgroupPids(dir: string): number[] {
  const out: number[] = [];
  if (!existsSync(dir)) return out;
  try {
    for (const line of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n')) if (line !== '') out.push(Number(line));
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) out.push(...cgroupPids(join(dir, entry.name)));
  } catch {
    // directory vanished meanwhile
  }
  return out;
}

function sandboxKey(stateDir: string): string {
  return createHash('sha256').update(resolve(stateDir)).digest('hex').slice(0, 12);
}

/** Where every sandbox's cgroups live (`og-sandbox/<sandbox>/<node>/<pod uid>/<container>`). */
export function allSandboxesCgroupDir(root = findHierarchy()): string | undefined {
  return root === undefined ? undefined : join(root, 'og-sandbox');
}

/** One sandbox's cgroups (`og-sandbox/<sandbox>`), whichever nodes it has. */
export function sandboxCgroupDir(stateDir: string, root = findHierarchy()): string | undefined {
  return root === undefined ? undefined : join(root, 'og-sandbox', sandboxKey(stateDir));
}

/** Teardown of a whole sandbox: removes its (by then empty) cgroup directories; busy ones stay. */
export function removeSandboxCgroups(stateDir: string, root = findHierarchy()): void {
  const dir = sandboxCgroupDir(stateDir, root);
  if (dir !== undefined) removeTree(dir);
}

export function createCgroups(stateDir: string, nodeName: string, root = findHierarchy()): Cgroups {
  const sandboxDir = sandboxCgroupDir(stateDir, root);
  const base = sandboxDir === undefined ? undefined : join(sandboxDir, nodeName);
  let available = false;
  if (base !== undefined) {
    try {
      mkdirSync(base, { recursive: true });
      available = true;
    } catch {
      available = false;
    }
  }
  const usable = available ? base : undefined;
  return {
    available,
    nodeDir: () => usable,
    podDir: (podUid) => (usable === undefined ? undefined : join(usable, podUid)),
    containerDir: (podUid, container) => (usable === undefined ? undefined : join(usable, podUid, container)),
    ensure: (dir) => void mkdirSync(dir, { recursive: true }),
    kill: (dir) => {
      if (!existsSync(dir)) return;
      if (tryWrite(join(dir, 'cgroup.kill'), '1')) return;
      for (const pid of cgroupPids(dir)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
    pids: cgroupPids,
    remove: removeTree,
  };
}
