// The primary of a primary-role cluster, the 2.0 way (seed §5.6): a new cluster promotes the first
// running member in iplist order, once every member runs (or NEW_CLUSTER_GATHER_MS after the
// cluster was created), preferring a member whose data volume was part of a cluster before (a
// cluster re-created over its retained volumes; 2.0 took whichever pod came up first); a cluster whose recorded primary lost its role (pod deleted or
// restarted: it comes back pending) restarts that same member as primary, as long as no other
// member reports primary; a recorded primary whose database stopped inside a running container is
// started again as primary. There is no failover here (a later issue): without the recorded primary
// the cluster waits, which never loses an acknowledged write.
import { ConditionReason, EventReason } from '../api/v1/index.ts';
import { awaitsRole, isRunning, isStopped, probeOf } from './member-health.ts';
import { configAnnotationPatch, planMember } from './member-plan.ts';
import { AFTER_ACTION_MS, CONTINUE, requeue, WAIT_MS, type Step, type StepContext } from './step.ts';
import type { Action, MemberObservation, StepOutput } from './types.ts';

/**
 * Configure the member, record the configuration on its Pod, then run `last`: the sequence every
 * role assignment and every build uses. A string is the reason the member cannot be planned.
 */
export function configureThen(ctx: StepContext, m: MemberObservation, last: (pod: string) => Action): Action[] | string {
  const plan = planMember(ctx.cluster.spec, m.ip);
  if (!plan.ok) return plan.reason;
  const pod = m.pod?.name ?? '';
  return [
    { kind: 'exec', pod, ip: m.ip, command: plan.command, failReason: EventReason.ConfigDBFail },
    { kind: 'patchPod', pod, patch: configAnnotationPatch(plan, true) },
    last(pod),
  ];
}

/** Configure, record, then start in a role. */
export function roleActions(ctx: StepContext, m: MemberObservation, role: 'primary' | 'standby'): Action[] | string {
  const failReason = role === 'primary' ? EventReason.StartPodFail : EventReason.FixStandbyFail;
  return configureThen(ctx, m, (pod) => ({ kind: 'exec', pod, ip: m.ip, command: { op: 'start', role }, failReason }));
}

/** Starts a member whose database stopped, in its role; its configuration is on disk already. */
export function restartStopped(m: MemberObservation, role: 'primary' | 'standby'): StepOutput {
  const pod = m.pod?.name ?? m.ip;
  const failReason = role === 'primary' ? EventReason.StartPodFail : EventReason.FixStandbyFail;
  return {
    actions: [{ kind: 'exec', pod, ip: m.ip, command: { op: 'start', role }, failReason }],
    events: [{ type: 'Warning', reason: role === 'primary' ? EventReason.SetPrimary : EventReason.SetStandby, action: 'Start', note: `the database of ${pod} stopped; starting it again as ${role}` }],
    findings: { progressing: { reason: ConditionReason.Recovering, message: `starting the stopped database of ${pod} as ${role}` } },
    next: requeue(AFTER_ACTION_MS, `${role} restarting`),
  };
}

function promote(ctx: StepContext, m: MemberObservation, why: string): StepOutput {
  const actions = roleActions(ctx, m, 'primary');
  if (typeof actions === 'string') return { findings: { degraded: { reason: ConditionReason.InvalidSpec, message: actions } }, next: { kind: 'stop', why: actions } };
  return {
    // INV-1: status.primary is written before the promotion is issued, so a restarted operator
    // resumes with the same member instead of choosing another one.
    intent: { primary: m.ip },
    actions,
    events: [{ type: 'Normal', reason: EventReason.SetPrimary, action: 'Promote', note: `${m.pod?.name ?? m.ip} is started as primary: ${why}` }],
    findings: { progressing: { reason: ConditionReason.Creating, message: `starting ${m.ip} as primary` } },
    next: requeue(AFTER_ACTION_MS, 'primary starting'),
  };
}

function waitForPrimary(message: string): StepOutput {
  return { findings: { degraded: { reason: ConditionReason.PrimaryUnavailable, message } }, next: requeue(WAIT_MS, message) };
}

function recordedPrimary(ctx: StepContext, recorded: string): StepOutput {
  const m = ctx.obs.members.find((x) => x.ip === recorded);
  if (m === undefined) return waitForPrimary(`recorded primary ${recorded} is not in iplist; a switchover is needed (not automatic yet)`);
  const probe = probeOf(m);
  if (isStopped(m)) return restartStopped(m, 'primary');
  if (!isRunning(m) || probe === undefined) return waitForPrimary(`waiting for the recorded primary ${recorded} to run again`);
  // A restarted primary comes back pending (or standby); no other member is primary (checked by the caller).
  if (awaitsRole(probe) || probe.role === 'standby') return promote(ctx, m, 'it is the recorded primary and no other member was promoted');
  return waitForPrimary(`recorded primary ${recorded} reports ${probe.role}`);
}

/** How long a new cluster waits for all its members before it chooses among those that run. */
export const NEW_CLUSTER_GATHER_MS = 60_000;

function awaitsItsRole(m: MemberObservation): boolean {
  const probe = probeOf(m);
  return isRunning(m) && probe !== undefined && awaitsRole(probe);
}

/**
 * Which member starts as primary must not depend on which container happened to start first: over
 * retained volumes, the first to start may hold older data than the old primary. So the choice
 * waits for every member (bounded, so one unschedulable member cannot block a cluster forever).
 */
function newCluster(ctx: StepContext): StepOutput {
  const running = ctx.obs.members.filter(awaitsItsRole);
  if (running.length === 0) {
    return { findings: { progressing: { reason: ConditionReason.Creating, message: 'waiting for a member to start' } }, next: requeue(WAIT_MS, 'no member running yet') };
  }
  const missing = ctx.obs.members.filter((m) => !awaitsItsRole(m)).map((m) => m.ip);
  const createdAt = ctx.obs.cluster.createdAtMs;
  if (missing.length > 0 && createdAt !== undefined && ctx.obs.nowMs - createdAt < NEW_CLUSTER_GATHER_MS) {
    const message = `waiting for ${missing.join(', ')} to start before choosing the primary (at most ${String(NEW_CLUSTER_GATHER_MS / 1000)} s after creation)`;
    return { findings: { progressing: { reason: ConditionReason.Creating, message } }, next: requeue(WAIT_MS, 'members still starting') };
  }
  const retained = running.find((m) => probeOf(m)?.wasMember === true);
  if (retained !== undefined) return promote(ctx, retained, 'first member in iplist order whose data volume was part of the cluster before');
  const first = running[0] as MemberObservation;
  return promote(ctx, first, missing.length === 0 ? 'first member of a new cluster in iplist order' : `first running member in iplist order; ${missing.join(', ')} did not start in time`);
}

export const primaryStep: Step = {
  name: 'primary',
  run(ctx) {
    if (ctx.cluster.spec.localrole !== 'primary') return { next: CONTINUE };
    const primaries = ctx.obs.members.filter((m) => isRunning(m) && probeOf(m)?.role === 'primary');
    if (primaries.length > 1) {
      const message = `members ${primaries.map((m) => m.ip).join(', ')} all report primary`;
      return { findings: { degraded: { reason: ConditionReason.MultiplePrimaries, message } }, next: requeue(WAIT_MS, message) };
    }
    if (primaries.length === 1) return { next: CONTINUE };
    const recorded = ctx.status.primary ?? '';
    return recorded === '' ? newCluster(ctx) : recordedPrimary(ctx, recorded);
  },
};
