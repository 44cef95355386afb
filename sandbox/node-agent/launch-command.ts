// Renders the command line that starts a container (or an exec) from a process plan. As root, a
// container gets its own mount namespace (`unshare --mount --propagation private`) where a small
// shell script binds each volume at its mountPath, joins the container's cgroup, changes into the
// working directory and finally `exec`s the program under the right user with setpriv, so the
// program keeps the PID the agent spawned. Execs enter the same namespace with nsenter.
import type { ProcessPlan, ProcessUser } from './process-plan.ts';
import type { MountPlan } from './volume-plan.ts';

export type LaunchCommand = { readonly file: string; readonly args: readonly string[]; readonly env: Readonly<Record<string, string>> };

export type LaunchOptions = {
  /** Own mount namespace and bind mounts; false when the agent is not root. */
  readonly isolate: boolean;
  /** cgroup v2 directory the process joins before exec, when the host has one. */
  readonly cgroupDir?: string;
  /** Which kind of file each mount source is (bind targets are created to match). */
  readonly sourceKinds: ReadonlyMap<string, 'dir' | 'file'>;
};

export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function renderMount(m: MountPlan, kind: 'dir' | 'file'): string[] {
  const target = shellQuote(m.target);
  const source = shellQuote(m.source);
  const prepare = kind === 'dir'
    ? `mkdir -p ${target}`
    : `[ -e ${target} ] || { mkdir -p "$(dirname ${target})"; : > ${target}; }`;
  const lines = [prepare, `mount --bind ${source} ${target}`];
  if (m.readOnly) lines.push(`mount -o remount,bind,ro ${target}`);
  return lines;
}

export function renderSetpriv(user: ProcessUser): string {
  switch (user.kind) {
    case 'inherit':
      return 'exec "$@"';
    case 'ids': {
      const groups = user.groups.length > 0 ? `--groups=${user.groups.join(',')}` : '--clear-groups';
      return `exec setpriv --reuid=${user.uid} --regid=${user.gid} ${groups} -- "$@"`;
    }
    case 'name': {
      const group = user.group === undefined ? '' : ` --regid=${shellQuote(user.group)}`;
      const groups = user.groups.length > 0 ? `--groups=${user.groups.join(',')}` : '--init-groups';
      return `exec setpriv --reuid=${shellQuote(user.name)}${group} ${groups} -- "$@"`;
    }
  }
}

export function renderContainerScript(plan: ProcessPlan, options: LaunchOptions): string {
  const lines = ['set -e'];
  if (options.cgroupDir !== undefined) lines.push(`echo $$ > ${shellQuote(`${options.cgroupDir}/cgroup.procs`)}`);
  if (options.isolate) {
    for (const m of plan.mounts) lines.push(...renderMount(m, options.sourceKinds.get(m.source) ?? 'dir'));
  }
  lines.push(`mkdir -p ${shellQuote(plan.workingDir)} 2>/dev/null || true`, `cd ${shellQuote(plan.workingDir)}`, renderSetpriv(plan.user));
  return lines.join('\n');
}

function envRecord(plan: ProcessPlan): Record<string, string> {
  return Object.fromEntries(plan.env);
}

export function renderContainerLaunch(plan: ProcessPlan, options: LaunchOptions): LaunchCommand {
  const script = renderContainerScript(plan, options);
  const shell = ['/bin/sh', '-c', script, 'sandbox-container', ...plan.argv];
  if (!options.isolate) return { file: shell[0] ?? '/bin/sh', args: shell.slice(1), env: envRecord(plan) };
  return { file: 'unshare', args: ['--mount', '--propagation', 'private', '--', ...shell], env: envRecord(plan) };
}

/** An exec (or exec probe) in a running container: its mount namespace, cwd, user and env. */
export function renderExecLaunch(plan: ProcessPlan, containerPid: number | undefined, argv: readonly string[], options: { isolate: boolean }): LaunchCommand {
  const script = [`cd ${shellQuote(plan.workingDir)} 2>/dev/null || cd /`, renderSetpriv(plan.user)].join('\n');
  const shell = ['/bin/sh', '-c', script, 'sandbox-exec', ...argv];
  if (!options.isolate || containerPid === undefined) return { file: shell[0] ?? '/bin/sh', args: shell.slice(1), env: envRecord(plan) };
  return { file: 'nsenter', args: [`--target=${containerPid}`, '--mount', '--', ...shell], env: envRecord(plan) };
}
