// Keeping members and Services true to what the probes show: the role label on every pod (set
// only on a ready pod that serves the role, removed otherwise), the write Service on the primary,
// the read Service on ready standbys or on the primary when no standby is ready; then, once roles
// are settled, configuration drift (gs_guc reload; a restart for restart-class keys, standbys
// first) and clearing the fresh-pod maintenance flag.
import { EventReason, Label, RoleLabelValue } from '../api/v1/index.ts';
import { buildRoleLabelPatch } from '../specs/pod.ts';
import { buildReadService, buildWriteService } from '../specs/services.ts';
import { awaitsReadinessProbe, desiredLabel, isHealthyPrimary, isHealthyStandby, probeOf, SERVING_CONTAINER_ANNOTATION } from './member-health.ts';
import { ConfigAnnotation, configAnnotationPatch, planMember } from './member-plan.ts';
import { AFTER_ACTION_MS, CONTINUE, requeue, type Step, type StepContext } from './step.ts';
import type { Action, MemberObservation, ServiceView, StepOutput } from './types.ts';

export function readServiceTarget(members: readonly MemberObservation[]): RoleLabelValue {
  const labels = members.map(desiredLabel);
  if (labels.includes(RoleLabelValue.Standby)) return RoleLabelValue.Standby;
  return labels.includes(RoleLabelValue.Primary) ? RoleLabelValue.Primary : RoleLabelValue.Standby;
}

function serviceDrifted(view: ServiceView | undefined, role: string, nodePort: number, port: number): boolean {
  return view === undefined || view.selectorRole !== role || view.nodePort !== nodePort || view.port !== port;
}

function labelActions(ctx: StepContext): Action[] {
  return ctx.obs.members.flatMap((m): Action[] => {
    if (m.pod === undefined || m.pod.deleting) return [];
    const want = desiredLabel(m);
    return m.pod.labels[Label.Role] === want ? [] : [{ kind: 'patchPod', pod: m.pod.name, patch: buildRoleLabelPatch(want) }];
  });
}

function readinessNudges(ctx: StepContext): Action[] {
  return ctx.obs.members.flatMap((m): Action[] => {
    const container = awaitsReadinessProbe(m);
    if (container === undefined || m.pod === undefined) return [];
    return [{ kind: 'patchPod', pod: m.pod.name, patch: { metadata: { annotations: { [SERVING_CONTAINER_ANNOTATION]: container } } } }];
  });
}

function serviceActions(ctx: StepContext): Action[] {
  const { spec } = ctx.cluster;
  const target = readServiceTarget(ctx.obs.members);
  const actions: Action[] = [];
  if (serviceDrifted(ctx.obs.services.write, RoleLabelValue.Primary, spec.writeport, spec.dbport)) actions.push({ kind: 'apply', object: buildWriteService(ctx.cluster) });
  if (serviceDrifted(ctx.obs.services.read, target, spec.readport, spec.dbport)) actions.push({ kind: 'apply', object: buildReadService(ctx.cluster, target) });
  return actions;
}

export const routingStep: Step = {
  name: 'routing',
  run(ctx) {
    return { actions: [...labelActions(ctx), ...readinessNudges(ctx), ...serviceActions(ctx)], next: CONTINUE };
  },
};

function isSettled(m: MemberObservation): boolean {
  return isHealthyPrimary(m) || isHealthyStandby(m);
}

/** Reload drift and clear maintenance flags on every settled member (not disruptive, batched). */
function reloadActions(ctx: StepContext): Action[] {
  return ctx.obs.members.filter(isSettled).flatMap((m): Action[] => {
    const plan = planMember(ctx.cluster.spec, m.ip);
    const pod = m.pod?.name ?? '';
    const actions: Action[] = [];
    if (plan.ok && m.pod?.annotations[ConfigAnnotation.Applied] !== plan.appliedHash) {
      // A member that never recorded its restart hash (adopted) is taken to run the current one.
      const adopt = m.pod?.annotations[ConfigAnnotation.Restart] === undefined;
      actions.push({ kind: 'exec', pod, ip: m.ip, command: plan.command, failReason: EventReason.ConfigDBFail });
      actions.push({ kind: 'patchPod', pod, patch: configAnnotationPatch(plan, adopt) });
    }
    if (probeOf(m)?.maintenance === true) actions.push({ kind: 'exec', pod, ip: m.ip, command: { op: 'clearMaintenance' }, failReason: EventReason.ConfigDBFail });
    return actions;
  });
}

/** The first settled member whose server runs older restart-class settings: standbys first (2.0 §6.3). */
function restartCandidate(ctx: StepContext): MemberObservation | undefined {
  const stale = ctx.obs.members.filter((m) => {
    const plan = planMember(ctx.cluster.spec, m.ip);
    const recorded = m.pod?.annotations[ConfigAnnotation.Restart];
    return isSettled(m) && plan.ok && recorded !== undefined && recorded !== plan.restartHash;
  });
  return stale.find(isHealthyStandby) ?? stale[0];
}

function restartOutput(ctx: StepContext, m: MemberObservation): StepOutput {
  const plan = planMember(ctx.cluster.spec, m.ip);
  const role = isHealthyPrimary(m) ? 'primary' : 'standby';
  const pod = m.pod?.name ?? '';
  const actions: Action[] = plan.ok ? [
    { kind: 'exec', pod, ip: m.ip, command: { op: 'start', role }, failReason: EventReason.ConfigDBFail },
    { kind: 'patchPod', pod, patch: configAnnotationPatch(plan, true) },
  ] : [];
  return {
    actions,
    events: [{ type: 'Normal', reason: EventReason.Updating, action: 'Restart', note: `${pod} restarts as ${role} for restart-level parameters` }],
    next: requeue(AFTER_ACTION_MS, 'restart for parameters'),
  };
}

export const memberConfigStep: Step = {
  name: 'memberConfig',
  run(ctx) {
    const reloads = reloadActions(ctx);
    if (reloads.length > 0) return { actions: reloads, next: requeue(AFTER_ACTION_MS, 'configuration applied') };
    const stale = restartCandidate(ctx);
    return stale === undefined ? { next: CONTINUE } : restartOutput(ctx, stale);
  },
};
