// The step table (house style §3) and its runner. Ordering rule: gates first (nothing may be
// touched), then infrastructure and workloads (Secret, ConfigMaps, PVCs, Pods), then a gate that
// waits for pending probes (nothing below may decide on a reading from before), then routing
// (labels and Services follow what the probes show, also while later steps wait), then dead and
// removed pods, then roles (primary, standbys and builds), then configuration drift. The first
// step whose `next` is not `continue` ends the table; every disruptive step ends it.
import { ConditionReason, formatIssues, resolveDefaults } from '../api/v1/index.ts';
import type { SpecCluster } from '../specs/cluster.ts';
import { desiredLabel, isHealthyPrimary, isHealthyStandby } from './member-health.ts';
import { AFTER_ACTION_MS, CONTINUE, requeue, WAIT_MS, type Step, type StepContext } from './step.ts';
import { badInputGate, maintenanceGate, probesGate } from './steps-gates.ts';
import { memberConfigStep, routingStep } from './steps-members.ts';
import { objectsStep, podCleanupStep } from './steps-objects.ts';
import { primaryStep } from './steps-primary.ts';
import { standbysStep } from './steps-standbys.ts';
import type { Action, Decision, EventIntent, Intent, Next, Observation, StepOutput } from './types.ts';

export const STEPS: readonly Step[] = [
  maintenanceGate, badInputGate, objectsStep, probesGate, routingStep, podCleanupStep, primaryStep, standbysStep, memberConfigStep,
];

function invalidDecision(obs: Observation): Decision {
  const message = obs.validation.ok ? '' : formatIssues(obs.validation.issues);
  return {
    intent: undefined, actions: [], events: [], trace: ['validate'],
    next: { kind: 'stop', why: 'invalid spec' },
    findings: { gate: 'invalid', degraded: { reason: ConditionReason.InvalidSpec, message }, message, converged: false },
  };
}

/**
 * Every member serves its role: one Normal primary (primary-role) and Normal standbys, each in a
 * ready Pod that deserves its role label, so the Services route to all of them once `ready` shows.
 */
export function isClusterHealthy(ctx: StepContext): boolean {
  const { members } = ctx.obs;
  if (members.length === 0 || ctx.status.operation !== undefined) return false;
  if (!members.every((m) => desiredLabel(m) !== undefined)) return false;
  if (ctx.cluster.spec.localrole === 'standby') return members.every(isHealthyStandby);
  const primaries = members.filter(isHealthyPrimary);
  return primaries.length === 1 && members.every((m) => isHealthyPrimary(m) || isHealthyStandby(m));
}

export function specClusterOf(obs: Observation): SpecCluster | undefined {
  if (!obs.validation.ok) return undefined;
  const spec = resolveDefaults(obs.validation.spec, { pollingPeriodSeconds: obs.pollingPeriodSeconds });
  return { metadata: { name: obs.cluster.name, namespace: obs.cluster.namespace, uid: obs.cluster.uid }, spec };
}

type Accumulated = { actions: Action[]; events: EventIntent[]; intent: Intent | undefined; findings: StepOutput['findings']; trace: string[] };

function runSteps(ctx: StepContext): Accumulated & { next: Next } {
  const acc: Accumulated = { actions: [], events: [], intent: undefined, findings: {}, trace: [] };
  for (const step of STEPS) {
    acc.trace.push(step.name);
    const out = step.run(ctx);
    acc.actions.push(...(out.actions ?? []));
    acc.events.push(...(out.events ?? []));
    if (out.intent !== undefined) acc.intent = { ...acc.intent, ...out.intent };
    acc.findings = { ...acc.findings, ...out.findings };
    if (out.next.kind !== 'continue') return { ...acc, next: out.next };
  }
  return { ...acc, next: CONTINUE };
}

/** Pure: the whole decision of one pass. */
export function decide(obs: Observation): Decision {
  const cluster = specClusterOf(obs);
  if (cluster === undefined) return invalidDecision(obs);
  const ctx: StepContext = { obs, cluster, status: obs.cluster.status ?? {} };
  const run = runSteps(ctx);
  const converged = run.next.kind === 'continue' && run.actions.length === 0 && run.intent === undefined && isClusterHealthy(ctx);
  let next = run.next;
  if (next.kind === 'continue') {
    if (converged) next = requeue(cluster.spec.schedule.pollingPeriod * 1000, 'health poll');
    else next = requeue(run.actions.length > 0 ? AFTER_ACTION_MS : WAIT_MS, 'converging');
  }
  return {
    intent: run.intent, actions: run.actions, events: run.events, trace: run.trace, next,
    findings: { ...run.findings, converged },
  };
}
