// One pass of the OpenGaussCluster controller: observe → decide (pure) → act → report. The shell
// stays thin: everything that chooses is in src/reconcile; here are the I/O, the ordering rule
// (intent before actions, stop at the first failure), events, one log line per state change and
// the result that tells the work queue when to come back.
import type { Logger } from 'pino';
import { EventReason, type ClusterStatus } from '../api/v1/index.ts';
import type { EventRecorder } from '../observability/event-recorder.ts';
import { createMergePatch } from '../kube/merge-patch.ts';
import type { KubeClient } from '../kube/port.ts';
import { decide, specClusterOf } from '../reconcile/decide.ts';
import { deriveStatus, stateChangeEvents } from '../reconcile/derive-status.ts';
import type { Action, ApplyFailure, Decision, EventIntent, Observation } from '../reconcile/types.ts';
import type { ReconcileContext } from '../runtime/controller.ts';
import { Result, type ReconcileResult } from '../runtime/result.ts';
import { runActions, writeIntent, type ActDeps, type ActionFailure } from './act.ts';
import { ClusterKind, type ClusterObject } from './kinds.ts';
import { observe, type ObserveDeps } from './observe.ts';

export type ReconcilerDeps = Omit<ObserveDeps, 'applyFailures' | 'knownConfigMaps'> & Omit<ActDeps, 'rememberConfigMap' | 'client'> & {
  readonly client: KubeClient;
  readonly recorder: EventRecorder;
};

/** Back-off after a failed action that is data (a non-zero exit) rather than an exception. */
const FAILED_ACTION_MS = 5_000;

type FailureMemory = Map<string, { generation: number; failures: ApplyFailure[] }>;

function toApplyFailure(failure: ActionFailure): ApplyFailure | undefined {
  const object = failure.action.kind === 'apply' ? failure.action.object : undefined;
  // 422 Invalid: the API server refused the object (a NodePort taken); retrying the same object cannot help.
  if (object === undefined || failure.status !== 422) return undefined;
  const kind = object.kind === 'Service' ? 'Service' : object.kind === 'Pod' ? 'Pod' : 'Other';
  return { object: `${object.kind ?? ''} ${object.metadata?.name ?? ''}`, kind, status: 422, message: failure.message };
}

function failureEvent(failure: ActionFailure): EventIntent {
  const reason = failure.action.kind === 'exec' ? failure.action.failReason : EventReason.ConfigDBFail;
  return { type: 'Warning', reason, action: actionLabel(failure.action), note: failure.message };
}

function actionLabel(action: Action): string {
  return action.kind === 'exec' ? `exec:${action.command.op}` : action.kind;
}

function resultOf(decision: Decision): ReconcileResult {
  const next = decision.next;
  if (next.kind === 'requeueAfter') return Result.requeueAfter(next.ms, next.why);
  return Result.done();
}

export function createReconciler(deps: ReconcilerDeps): (ctx: ReconcileContext) => Promise<ReconcileResult> {
  const memory: FailureMemory = new Map();
  const knownConfigMaps = new Set<string>();
  const observeDeps: ObserveDeps = {
    ...deps,
    knownConfigMaps,
    applyFailures: (uid, generation) => {
      const entry = memory.get(uid);
      return entry !== undefined && entry.generation === generation ? entry.failures : [];
    },
  };
  const actDeps: ActDeps = { ...deps, rememberConfigMap: (key) => knownConfigMaps.add(key) };

  function emit(cluster: ClusterObject, events: readonly EventIntent[]): void {
    for (const e of events) deps.recorder.record({ regarding: cluster, type: e.type, reason: e.reason, action: e.action, note: e.note });
  }

  async function report(log: Logger, cluster: ClusterObject, obs: Observation, decision: Decision): Promise<void> {
    // Nothing new against the cached status: no read, no write (a no-op pass makes no API call).
    // Should the cache lag behind a write of ours, that write's watch event brings another pass.
    if (createMergePatch(cluster.status ?? {}, deriveStatus(obs, decision.findings, cluster.status)) === undefined) return;
    const ref = { namespace: obs.cluster.namespace, name: obs.cluster.name };
    let from: string | undefined;
    let to: ClusterStatus | undefined;
    const outcome = await deps.client.updateStatus<ClusterObject, ClusterStatus>(ClusterKind, ref, (_object, status) => {
      from = status?.state;
      to = deriveStatus(obs, decision.findings, status);
      return to;
    });
    if (outcome.kind === 'notFound' || to === undefined || from === to.state) return;
    const message = to.message ?? '';
    log.info({ from, to: to.state, reason: decision.findings.degraded?.reason ?? decision.findings.progressing?.reason, primary: to.primary }, 'cluster state changed');
    emit(cluster, stateChangeEvents(from, to.state ?? '', message));
  }

  function remember(obs: Observation, failure: ActionFailure): void {
    const apply = toApplyFailure(failure);
    if (apply === undefined) return;
    const entry = memory.get(obs.cluster.uid);
    const failures = entry?.generation === obs.cluster.generation ? entry.failures.filter((f) => f.object !== apply.object) : [];
    memory.set(obs.cluster.uid, { generation: obs.cluster.generation, failures: [...failures, apply] });
  }

  return async (ctx) => {
    const cluster = deps.caches.clusters.get(ctx.ref);
    // Deleted: owned Pods, Services and og-<cr>-cm go with the garbage collector; PVCs and the Secret stay.
    if (cluster === undefined || cluster.metadata?.deletionTimestamp !== undefined) return Result.done();
    const obs = await observe(observeDeps, cluster);
    const decision = decide(obs);
    ctx.log.debug({ steps: decision.trace, actions: decision.actions.map(actionLabel), next: decision.next }, 'decided');
    const spec = specClusterOf(obs);
    if (decision.intent !== undefined) await writeIntent(deps.client, ctx.ref, decision.intent);
    const acted = spec === undefined ? { ok: true as const } : await runActions(actDeps, spec, decision.actions);
    // Whatever a command did (or began) in a member, the probes taken before it no longer hold.
    for (const action of decision.actions) if (action.kind === 'exec') deps.prober.invalidate(obs.cluster.namespace, action.pod);
    emit(cluster, decision.events);
    if (!acted.ok) {
      remember(obs, acted.failure);
      emit(cluster, [failureEvent(acted.failure)]);
      ctx.log.warn({ action: actionLabel(acted.failure.action), err: acted.failure.error, message: acted.failure.message }, 'action failed');
    }
    await report(ctx.log, cluster, obs, decision);
    if (!acted.ok) return acted.failure.error !== undefined && acted.failure.status !== 422 ? Result.retry(acted.failure.error) : Result.requeueAfter(FAILED_ACTION_MS, 'action failed');
    return resultOf(decision);
  };
}
