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
  /** A host directory of this container where sources are staged before any target is mounted. */
  readonly stageDir?: string;
};

export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function renderPrepare(path: string, kind: 'dir' | 'file'): string {
  return kind === 'dir' ? `mkdir -p ${path}` : `[ -e ${path} ] || { mkdir -p "$(dirname ${path})"; : > ${path}; }`;
}

function renderMount(m: MountPlan, kind: 'dir' | 'file', source: string): string[] {
  const target = shellQuote(m.target);
  const lines = [renderPrepare(target, kind), `mount --bind ${source} ${target}`];
  if (m.readOnly) lines.push(`mount -o remount,bind,ro ${target}`);
  return lines;
}

/**
 * Mounting over a target can hide later sources (a private /tmp hides a state directory under
 * /tmp). So every source is first bound into the stage directory, the shell changes into it, and
 * targets are mounted from relative paths: the working directory keeps the hidden tree reachable.
 */
function renderStagedMounts(mounts: readonly MountPlan[], options: LaunchOptions, stageDir: string): string[] {
  const kinds = mounts.map((m) => options.sourceKinds.get(m.source) ?? 'dir');
  const lines = [`mkdir -p ${shellQuote(stageDir)}`, `cd ${shellQuote(stageDir)}`];
  mounts.forEach((m, i) => lines.push(renderPrepare(`./${i}`, kinds[i] ?? 'dir'), `mount --bind ${shellQuote(m.source)} ./${i}`));
  mounts.forEach((m, i) => lines.push(...renderMount(m, kinds[i] ?? 'dir', `./${i}`)));
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
  if (options.isolate && options.stageDir !== undefined) lines.push(...renderStagedMounts(plan.mounts, options, options.stageDir));
  else if (options.isolate) for (const m of plan.mounts) lines.push(...renderMount(m, options.sourceKinds.get(m.source) ?? 'dir', shellQuote(m.source)));
  lines.push(`mkdir -p ${shellQuote(plan.workingDir)} 2>/dev/null || true`, `cd ${shellQuote(plan.workingDir)}`, restorePreload, renderSetpriv(plan.user));
  return lines.join('\n');
}

/**
 * The preload library may live under a path the setup mounts hide for a moment (a checkout under
 * /tmp, before it is bound back), so the setup commands run without it and only the container's
 * program gets it.
 */
const deferredPreload = 'OG_SANDBOX_LD_PRELOAD';
const restorePreload = `[ -z "\${${deferredPreload}+x}" ] || { export LD_PRELOAD="$${deferredPreload}"; unset ${deferredPreload}; }`;

function deferPreload(env: Record<string, string>): Record<string, string> {
  const { LD_PRELOAD: preload, ...rest } = env;
  return preload === undefined ? rest : { ...rest, [deferredPreload]: preload };
}

function envRecord(plan: ProcessPlan): Record<string, string> {
  return Object.fromEntries(plan.env);
}

export function renderContainerLaunch(plan: ProcessPlan, options: LaunchOptions): LaunchCommand {
  const script = renderContainerScript(plan, options);
  const shell = ['/bin/sh', '-c', script, 'sandbox-container', ...plan.argv];
  if (!options.isolate) return { file: shell[0] ?? '/bin/sh', args: shell.slice(1), env: envRecord(plan) };
  return { file: 'unshare', args: ['--mount', '--propagation', 'private', '--', ...shell], env: deferPreload(envRecord(plan)) };
}

/** An exec (or exec probe) in a running container: its mount namespace, cwd, user and env. */
/**
 * An exec joins its container's cgroup (read from the container's main process), so whatever it
 * starts (a database restarted with `gs_ctl` in the background) dies with the container, as in a
 * real runtime, instead of outliving the Pod and holding its address and port.
 */
function renderJoinContainerCgroup(containerPid: number): string {
  // The unified (v2) hierarchy is /sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid hosts.
  return [
    `cg=$(sed -n 's/^0:://p' /proc/${containerPid}/cgroup 2>/dev/null)`,
    'if [ -n "$cg" ] && [ "$cg" != / ]; then for r in /sys/fs/cgroup/unified /sys/fs/cgroup; do',
    '  if [ -e "$r$cg/cgroup.procs" ]; then echo $$ > "$r$cg/cgroup.procs" 2>/dev/null; break; fi',
    'done; fi',
  ].join('\n');
}

export function renderExecLaunch(plan: ProcessPlan, containerPid: number | undefined, argv: readonly string[], options: { isolate: boolean }): LaunchCommand {
  const join = options.isolate && containerPid !== undefined ? [renderJoinContainerCgroup(containerPid)] : [];
  const script = [...join, `cd ${shellQuote(plan.workingDir)} 2>/dev/null || cd /`, renderSetpriv(plan.user)].join('\n');
  const shell = ['/bin/sh', '-c', script, 'sandbox-exec', ...argv];
  if (!options.isolate || containerPid === undefined) return { file: shell[0] ?? '/bin/sh', args: shell.slice(1), env: envRecord(plan) };
  return { file: 'nsenter', args: [`--target=${containerPid}`, '--mount', '--', ...shell], env: envRecord(plan) };
}
