// Standbys (seed §5.7): members that come back pending after a restart and were configured before
// are restarted as standbys; members that were never configured (a new data volume) or whose WAL
// cannot stream any more are built from the primary with `gs_ctl build -b full`, started in the
// background and polled. A build is an operation recorded in status before it starts, with a
// deadline (processTimeout) and an attempt count, so it survives an operator restart and never
// waits without bound (2.0 weaknesses 2 and 9). One build at a time per cluster.
import { ConditionReason, EventReason, type OperationStatus } from '../api/v1/index.ts';
import { awaitsRole, isHealthyPrimary, isHealthyStandby, isRunning, isStopped, needsRebuild, probeOf } from './member-health.ts';
import { configureThen, restartStopped, roleActions } from './steps-primary.ts';
import { AFTER_ACTION_MS, BLOCKED_MS, CONTINUE, requeue, WAIT_MS, type Step, type StepContext } from './step.ts';
import type { Action, MemberObservation, StepOutput } from './types.ts';

export const MAX_BUILD_ATTEMPTS = 3;
/** A build issued this long ago that shows no sign of running was lost (operator or pod restart). */
export const BUILD_RESUME_GRACE_MS = 15_000;

function buildActions(ctx: StepContext, m: MemberObservation): Action[] | string {
  return configureThen(ctx, m, (pod) => ({ kind: 'exec', pod, ip: m.ip, command: { op: 'build' }, failReason: EventReason.PodBuildFail }));
}

function startBuild(ctx: StepContext, m: MemberObservation, why: string, attempt: number): StepOutput {
  const actions = buildActions(ctx, m);
  if (typeof actions === 'string') return { findings: { degraded: { reason: ConditionReason.InvalidSpec, message: actions } }, next: { kind: 'stop', why: actions } };
  const pod = m.pod?.name ?? m.ip;
  const operation: OperationStatus = {
    id: `rebuild-${m.ip}-${ctx.obs.nowMs}`, type: 'rebuild', to: pod, phase: 'building', startedAt: new Date(ctx.obs.nowMs).toISOString(), attempt,
  };
  return {
    // INV-2: the build is recorded before it is issued; a restarted operator polls it instead of starting another.
    intent: { operation },
    actions,
    events: [{ type: 'Normal', reason: EventReason.Rebuilding, action: 'Build', note: `${pod} is built from the primary (gs_ctl build -b full): ${why}` }],
    findings: { progressing: { reason: ConditionReason.Rebuilding, message: `building ${pod}` } },
    next: requeue(WAIT_MS, 'build started'),
  };
}

function buildDone(op: OperationStatus): StepOutput {
  return {
    intent: { operation: null },
    events: [{ type: 'Normal', reason: EventReason.PodBuildComplete, action: 'Build', note: `${op.to ?? ''} is built and streams from the primary` }],
    next: requeue(AFTER_ACTION_MS, 'build complete'),
  };
}

/** 'running', 'failed' (reported failed or past its deadline) or 'lost' (issued, but nothing runs). */
function buildProgress(ctx: StepContext, m: MemberObservation, op: OperationStatus): 'running' | 'failed' | 'lost' {
  const elapsed = ctx.obs.nowMs - Date.parse(op.startedAt);
  const probe = probeOf(m);
  if (probe?.buildStatus === 1 || elapsed > ctx.cluster.spec.schedule.processTimeout * 1000) return 'failed';
  const idle = probe !== undefined && isRunning(m) && probe.buildStatus !== 2 && awaitsRole(probe);
  return idle && elapsed > BUILD_RESUME_GRACE_MS ? 'lost' : 'running';
}

function retryBuild(ctx: StepContext, m: MemberObservation, op: OperationStatus, progress: 'failed' | 'lost'): StepOutput {
  const target = op.to ?? '';
  if (op.attempt + 1 >= MAX_BUILD_ATTEMPTS) {
    const message = `build of ${target} failed ${MAX_BUILD_ATTEMPTS} times; fix the member and clear status.operation`;
    return { findings: { degraded: { reason: ConditionReason.MemberNeedsRebuild, message }, message }, next: requeue(BLOCKED_MS, message) };
  }
  if (!isRunning(m)) return { findings: { progressing: { reason: ConditionReason.Rebuilding, message: `waiting for ${target} to run` } }, next: requeue(WAIT_MS, 'build target not running') };
  const retry = startBuild(ctx, m, progress === 'failed' ? 'the previous build failed or timed out' : 'the previous build was lost', op.attempt + 1);
  const warn = { type: 'Warning' as const, reason: EventReason.PodBuildFail, action: 'Build', note: `build of ${target} (attempt ${op.attempt + 1}) ${progress === 'failed' ? 'failed' : 'was lost'}; retrying` };
  return { ...retry, events: [warn, ...(retry.events ?? [])] };
}

function pollBuild(ctx: StepContext, op: OperationStatus): StepOutput {
  const m = ctx.obs.members.find((x) => x.pod?.name === op.to);
  if (m === undefined) return { intent: { operation: null }, next: requeue(AFTER_ACTION_MS, 'build target left the cluster') };
  if (isHealthyStandby(m)) return buildDone(op);
  const progress = buildProgress(ctx, m, op);
  if (progress === 'running') return { findings: { progressing: { reason: ConditionReason.Rebuilding, message: `building ${op.to ?? ''}` } }, next: requeue(WAIT_MS, 'build running') };
  return retryBuild(ctx, m, op, progress);
}

function standbyOutput(ctx: StepContext, m: MemberObservation): StepOutput | undefined {
  const probe = probeOf(m);
  if (!isRunning(m) || probe === undefined || probe.role === 'primary') return undefined;
  if (awaitsRole(probe) && probe.wasMember) {
    const actions = roleActions(ctx, m, 'standby');
    if (typeof actions === 'string') return undefined;
    return {
      actions,
      events: [{ type: 'Normal', reason: EventReason.SetStandby, action: 'Demote', note: `${m.pod?.name ?? m.ip} is started as standby` }],
      next: requeue(AFTER_ACTION_MS, 'standby starting'),
    };
  }
  if (awaitsRole(probe)) return startBuild(ctx, m, 'its data volume was never part of the cluster', 0);
  if (needsRebuild(probe)) return startBuild(ctx, m, `it reports ${probe.dbState} (${probe.detail})`, 0);
  return undefined;
}

export const standbysStep: Step = {
  name: 'standbys',
  run(ctx) {
    const primaryRole = ctx.cluster.spec.localrole === 'primary';
    const primary = ctx.obs.members.find(isHealthyPrimary);
    if (primaryRole && primary === undefined) return { findings: { progressing: { reason: ConditionReason.Recovering, message: 'waiting for the primary to be Normal' } }, next: requeue(WAIT_MS, 'primary not Normal') };
    const op = ctx.status.operation;
    if (op?.type === 'rebuild') return pollBuild(ctx, op);
    for (const m of ctx.obs.members) {
      if (m === primary) continue;
      const out = isStopped(m) && probeOf(m)?.wasMember === true ? restartStopped(m, 'standby') : standbyOutput(ctx, m);
      if (out !== undefined) return out;
    }
    return { next: CONTINUE };
  },
};
