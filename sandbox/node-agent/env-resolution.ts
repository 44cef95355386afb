// A container's environment as the kubelet builds it: the API server variables, then envFrom,
// then env in order (later wins), each value `$(VAR)`-expanded against what came before. A missing
// ConfigMap, Secret or key that is not optional is CreateContainerConfigError with the kubelet's
// wording, so tests and `kubectl describe` read the same as on a real cluster.
import type { V1Container, V1EnvFromSource, V1EnvVar } from '@kubernetes/client-node';
import { expandVars } from './expand-vars.ts';
import { resolveFieldRef, resolveResourceFieldRef, type PodFacts } from './field-ref.ts';

/** Data of a ConfigMap or Secret (Secret values already decoded); `undefined` = not found. */
export type KeyedData = Readonly<Record<string, string>>;

export type ConfigSources = {
  readonly configMaps: ReadonlyMap<string, KeyedData | undefined>;
  readonly secrets: ReadonlyMap<string, KeyedData | undefined>;
};

export type EnvResult =
  | { readonly ok: true; readonly env: ReadonlyMap<string, string> }
  | { readonly ok: false; readonly reason: 'CreateContainerConfigError'; readonly message: string };

export type EnvInput = {
  readonly container: V1Container;
  readonly facts: PodFacts;
  readonly sources: ConfigSources;
  /** e.g. KUBERNETES_SERVICE_HOST/PORT, set before the Pod's own variables. */
  readonly base: ReadonlyMap<string, string>;
};

const validEnvName = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Names of every ConfigMap and Secret a container's env refers to, to fetch before resolving. */
export function listEnvSources(container: V1Container): { configMaps: string[]; secrets: string[] } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef?.name) configMaps.add(from.configMapRef.name);
    if (from.secretRef?.name) secrets.add(from.secretRef.name);
  }
  for (const v of container.env ?? []) {
    if (v.valueFrom?.configMapKeyRef?.name) configMaps.add(v.valueFrom.configMapKeyRef.name);
    if (v.valueFrom?.secretKeyRef?.name) secrets.add(v.valueFrom.secretKeyRef.name);
  }
  return { configMaps: [...configMaps], secrets: [...secrets] };
}

type Step = { ok: true; entries: [string, string][] } | { ok: false; message: string };

function fromSource(from: V1EnvFromSource, sources: ConfigSources): Step {
  const isSecret = from.secretRef !== undefined;
  const ref = from.secretRef ?? from.configMapRef;
  const name = ref?.name ?? '';
  const data = (isSecret ? sources.secrets : sources.configMaps).get(name);
  if (data === undefined) {
    if (ref?.optional === true) return { ok: true, entries: [] };
    return { ok: false, message: `${isSecret ? 'secret' : 'configmap'} "${name}" not found` };
  }
  const entries = Object.entries(data)
    .map(([k, v]): [string, string] => [`${from.prefix ?? ''}${k}`, v])
    .filter(([k]) => validEnvName.test(k));
  return { ok: true, entries };
}

function keyRef(kind: 'ConfigMap' | 'Secret', ref: { name?: string; key: string; optional?: boolean }, sources: ConfigSources, namespace: string): Step {
  const name = ref.name ?? '';
  const data = (kind === 'Secret' ? sources.secrets : sources.configMaps).get(name);
  if (data === undefined) {
    if (ref.optional === true) return { ok: true, entries: [] };
    return { ok: false, message: `${kind === 'Secret' ? 'secret' : 'configmap'} "${name}" not found` };
  }
  const value = data[ref.key];
  if (value === undefined) {
    if (ref.optional === true) return { ok: true, entries: [] };
    return { ok: false, message: `couldn't find key ${ref.key} in ${kind} ${namespace}/${name}` };
  }
  return { ok: true, entries: [['', value]] };
}

function valueOf(v: V1EnvVar, input: EnvInput, env: ReadonlyMap<string, string>): Step {
  const namespace = input.facts.pod.metadata?.namespace ?? 'default';
  const from = v.valueFrom;
  if (from === undefined) return { ok: true, entries: [[v.name, expandVars(v.value ?? '', (n) => env.get(n))]] };
  let step: Step | { ok: true; value: string } | { ok: false; message: string };
  if (from.configMapKeyRef) step = keyRef('ConfigMap', from.configMapKeyRef, input.sources, namespace);
  else if (from.secretKeyRef) step = keyRef('Secret', from.secretKeyRef, input.sources, namespace);
  else if (from.fieldRef) step = resolveFieldRef(from.fieldRef, input.facts);
  else if (from.resourceFieldRef) step = resolveResourceFieldRef(from.resourceFieldRef, input.container, input.facts);
  else return { ok: false, message: `env var ${v.name} has an unsupported valueFrom` };
  if (!step.ok) return step;
  if ('value' in step) return { ok: true, entries: [[v.name, step.value]] };
  return { ok: true, entries: step.entries.map(([, value]) => [v.name, value]) };
}

export function resolveEnv(input: EnvInput): EnvResult {
  const env = new Map(input.base);
  const steps: (() => Step)[] = [
    ...(input.container.envFrom ?? []).map((from) => () => fromSource(from, input.sources)),
    ...(input.container.env ?? []).map((v) => () => valueOf(v, input, env)),
  ];
  for (const step of steps) {
    const result = step();
    if (!result.ok) return { ok: false, reason: 'CreateContainerConfigError', message: result.message };
    for (const [k, v] of result.entries) env.set(k, v);
  }
  return { ok: true, env };
}
