// Pod spec + image → the process a container runs: argv with Kubernetes' command/args override
// rules and `$(VAR)` expansion, environment, working directory, user and mounts. Pure.
import type { V1Container, V1PodSecurityContext } from '@kubernetes/client-node';
import type { ImageSpec } from './image-spec.ts';
import type { MountPlan } from './volume-plan.ts';
import { expandVars } from './expand-vars.ts';

export type ProcessUser =
  | { readonly kind: 'inherit' }
  | { readonly kind: 'ids'; readonly uid: number; readonly gid: number; readonly groups: readonly number[] }
  | { readonly kind: 'name'; readonly name: string; readonly group?: string; readonly groups: readonly number[] };

export type ProcessPlan = {
  readonly argv: readonly string[];
  readonly env: ReadonlyMap<string, string>;
  readonly workingDir: string;
  readonly user: ProcessUser;
  readonly mounts: readonly MountPlan[];
};

export type PlanResult =
  | { readonly ok: true; readonly plan: ProcessPlan }
  | { readonly ok: false; readonly reason: 'CreateContainerError'; readonly message: string };

export type PlanInput = {
  readonly container: V1Container;
  readonly image: ImageSpec;
  /** Resolved Pod env (env-resolution.ts), applied over the image env. */
  readonly env: ReadonlyMap<string, string>;
  readonly mounts: readonly MountPlan[];
  readonly podSecurityContext?: V1PodSecurityContext;
  /** The agent's PATH, after the image's path prefix. */
  readonly hostPath: string;
};

/** Docker semantics: `command` replaces ENTRYPOINT and drops CMD; `args` replaces CMD. */
export function selectArgv(container: V1Container, image: ImageSpec): string[] {
  const entrypoint = container.command ?? image.entrypoint;
  const args = container.args ?? (container.command === undefined ? image.cmd : []);
  return [...entrypoint, ...args];
}

function splitUser(user: string): { user: string; group?: string } {
  const [u, g] = user.split(':', 2) as [string, string | undefined];
  return g === undefined ? { user: u } : { user: u, group: g };
}

const numeric = (text: string | undefined): number | undefined => (text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined);

export function decideUser(container: V1Container, pod: V1PodSecurityContext | undefined, imageUser: string | undefined): ProcessUser {
  const runAsUser = container.securityContext?.runAsUser ?? pod?.runAsUser;
  const runAsGroup = container.securityContext?.runAsGroup ?? pod?.runAsGroup;
  const groups = [...(pod?.fsGroup !== undefined ? [pod.fsGroup] : []), ...(pod?.supplementalGroups ?? [])];
  const image = imageUser ? splitUser(imageUser) : undefined;
  if (runAsUser !== undefined) return { kind: 'ids', uid: runAsUser, gid: runAsGroup ?? numeric(image?.group) ?? 0, groups };
  if (image === undefined) return runAsGroup === undefined && groups.length === 0 ? { kind: 'inherit' } : { kind: 'ids', uid: 0, gid: runAsGroup ?? 0, groups };
  const uid = numeric(image.user);
  if (uid !== undefined) return { kind: 'ids', uid, gid: runAsGroup ?? numeric(image.group) ?? 0, groups };
  const group = runAsGroup !== undefined ? String(runAsGroup) : image.group;
  return group === undefined ? { kind: 'name', name: image.user, groups } : { kind: 'name', name: image.user, group, groups };
}

function buildEnv(input: PlanInput, user: ProcessUser): Map<string, string> {
  const env = new Map<string, string>();
  const imagePath = [...input.image.pathPrefix, input.hostPath].filter((p) => p !== '').join(':');
  env.set('PATH', imagePath);
  env.set('HOME', user.kind === 'ids' && user.uid !== 0 ? '/' : '/root');
  for (const [k, v] of Object.entries(input.image.env)) env.set(k, v);
  env.set('HOSTNAME', input.env.get('HOSTNAME') ?? '');
  for (const [k, v] of input.env) env.set(k, v);
  if (env.get('HOSTNAME') === '') env.delete('HOSTNAME');
  return env;
}

export function buildProcessPlan(input: PlanInput): PlanResult {
  const { container } = input;
  const rawArgv = selectArgv(container, input.image);
  if (rawArgv.length === 0) return { ok: false, reason: 'CreateContainerError', message: `container "${container.name}": no command specified` };
  const user = decideUser(container, input.podSecurityContext, input.image.user);
  const env = buildEnv(input, user);
  const argv = rawArgv.map((a) => expandVars(a, (name) => input.env.get(name)));
  const workingDir = container.workingDir ?? input.image.workingDir ?? '/';
  return { ok: true, plan: { argv, env, workingDir, user, mounts: input.mounts } };
}
