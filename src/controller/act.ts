// Act (house style §3): the intent is written first, as its own status patch, and if that fails
// nothing else happens this pass; then the actions run in order and stop at the first failure.
// Every action is idempotent: creates treat AlreadyExists as done, children go through
// server-side apply with the operator's field manager, deletes carry the pod's uid.
import type { KubernetesObject } from '@kubernetes/client-node';
import { buildPassword, PASSWORD_RANDOM_BYTES } from '../domain/password.ts';
import { commandArgv, commandName, isSuccess } from '../instance/commands.ts';
import { OG_CONTAINER, type InstanceRunner } from '../instance/port.ts';
import { isKubeApiError } from '../kube/kube-api-error.ts';
import { Kinds, type ResourceKind } from '../kube/kinds.ts';
import type { KubeClient, ObjectRef } from '../kube/port.ts';
import { applyIntent } from '../reconcile/derive-status.ts';
import type { Action, Intent, PasswordPlan } from '../reconcile/types.ts';
import type { SpecCluster } from '../specs/cluster.ts';
import { buildInitSecret, type InitPassword } from '../specs/secret.ts';
import { ClusterKind, type ClusterObject } from './kinds.ts';

export type ActDeps = {
  readonly client: KubeClient;
  readonly runner: InstanceRunner;
  readonly execTimeoutMs: number;
  readonly randomBytes: (n: number) => Uint8Array;
  /** Called when a create met AlreadyExists for a ConfigMap the cache does not hold. */
  readonly rememberConfigMap: (key: string) => void;
};

/** Why an action failed: `data` for a non-zero exit (an event, then a later retry), `error` otherwise. */
export type ActionFailure = { readonly action: Action; readonly message: string; readonly error?: unknown; readonly status?: number };

export type ActOutcome = { readonly ok: true } | { readonly ok: false; readonly failure: ActionFailure };

const kindsByName: Readonly<Record<string, ResourceKind<KubernetesObject>>> = {
  Pod: Kinds.Pod, Service: Kinds.Service, ConfigMap: Kinds.ConfigMap, PersistentVolumeClaim: Kinds.PersistentVolumeClaim, Secret: Kinds.Secret,
  PersistentVolume: Kinds.PersistentVolume,
};

function kindOf(object: KubernetesObject): ResourceKind<KubernetesObject> {
  const kind = kindsByName[object.kind ?? ''];
  if (kind === undefined) throw new TypeError(`no kind descriptor for ${object.kind ?? 'an object without kind'}`);
  return kind;
}

async function createIfAbsent(deps: ActDeps, object: KubernetesObject): Promise<void> {
  try {
    await deps.client.create(kindOf(object), object);
  } catch (error) {
    if (!isKubeApiError(error) || error.status !== 409) throw error;
    // AlreadyExists: someone (a user, an earlier pass) made it; creation is the only intent.
    if (object.kind === 'ConfigMap') deps.rememberConfigMap(`${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`);
  }
}

async function initPassword(deps: ActDeps, namespace: string, plan: PasswordPlan): Promise<InitPassword | undefined> {
  if (plan.kind === 'legacy') return { kind: 'base64', value: plan.base64 };
  if (plan.kind === 'generated') return { kind: 'plain', value: buildPassword(deps.randomBytes(PASSWORD_RANDOM_BYTES)) };
  // Secret data is base64 already: copied as is, never decoded, never logged.
  const secret = await deps.client.get(Kinds.Secret, { namespace, name: plan.name });
  const value = secret?.data?.[plan.key];
  return value === undefined ? undefined : { kind: 'base64', value };
}

async function runExec(deps: ActDeps, namespace: string, action: Extract<Action, { kind: 'exec' }>): Promise<ActionFailure | undefined> {
  const outcome = await deps.runner.run({ namespace, pod: action.pod, container: OG_CONTAINER }, commandArgv(action.command), deps.execTimeoutMs);
  if (outcome.kind === 'failed') return { action, message: outcome.error.message, error: outcome.error };
  if (isSuccess(outcome.exitCode)) return undefined;
  const output = `${outcome.stdout}\n${outcome.stderr}`.trim().slice(-300);
  return { action, message: `${commandName(action.command)} on ${action.pod} exited ${outcome.exitCode}: ${output}` };
}

async function runAction(deps: ActDeps, cluster: SpecCluster, action: Action): Promise<ActionFailure | undefined> {
  const namespace = cluster.metadata.namespace;
  switch (action.kind) {
    case 'apply':
      await deps.client.apply(kindOf(action.object), action.object);
      return undefined;
    case 'create':
      await createIfAbsent(deps, action.object);
      return undefined;
    case 'createInitSecret': {
      const password = await initPassword(deps, namespace, action.password);
      if (password === undefined) return { action, message: 'the Secret named by passwordSecretRef disappeared' };
      await createIfAbsent(deps, buildInitSecret(cluster, password));
      return undefined;
    }
    case 'resizePvc':
      await deps.client.mergePatch(Kinds.PersistentVolumeClaim, { namespace, name: action.name }, { spec: { resources: { requests: { storage: action.size } } } });
      return undefined;
    case 'patchPod':
      await deps.client.mergePatch(Kinds.Pod, { namespace, name: action.pod }, action.patch);
      return undefined;
    case 'deletePod':
      await deps.client.delete(Kinds.Pod, { namespace, name: action.pod }, { preconditions: { uid: action.uid } });
      return undefined;
    case 'exec':
      return runExec(deps, namespace, action);
  }
}

export async function writeIntent(client: KubeClient, ref: ObjectRef, intent: Intent): Promise<void> {
  await client.updateStatus<ClusterObject, NonNullable<ClusterObject['status']>>(ClusterKind, ref, (_object, status) => applyIntent(status, intent));
}

/** Runs the actions in order; the first failure stops the rest. Kubernetes errors are returned, not thrown. */
export async function runActions(deps: ActDeps, cluster: SpecCluster, actions: readonly Action[]): Promise<ActOutcome> {
  for (const action of actions) {
    try {
      const failure = await runAction(deps, cluster, action);
      if (failure !== undefined) return { ok: false, failure };
    } catch (error) {
      const status = isKubeApiError(error) ? error.status : undefined;
      const message = isKubeApiError(error) ? `${error.message}${error.apiMessage ? `: ${error.apiMessage}` : ''}` : String(error);
      return { ok: false, failure: { action, message, error, ...(status === undefined ? {} : { status }) } };
    }
  }
  return { ok: true };
}
