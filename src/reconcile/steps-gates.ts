// Gates: conditions under which the operator must touch nothing of the cluster. Maintenance is
// the user's hands-off switch (2.0 §6.4); bad input that admission cannot catch (seed §10, issue 5)
// blocks the cluster with a Degraded reason instead of creating half of it.
import { ConditionReason, EventReason } from '../api/v1/index.ts';
import { IMAGE_PULL_REASONS } from './member-health.ts';
import { BLOCKED_MS, CONTINUE, requeue, WAIT_MS, type Step, type StepContext } from './step.ts';
import type { Problem, StepOutput } from './types.ts';

export const maintenanceGate: Step = {
  name: 'maintenance',
  run(ctx) {
    if (!ctx.cluster.spec.maintenance) return CONTINUE_OUT;
    return { findings: { gate: 'maintaining' }, next: { kind: 'stop', why: 'spec.maintenance is true' } };
  },
};

const CONTINUE_OUT: StepOutput = { next: CONTINUE };

function firstBadInput(ctx: StepContext): Problem | undefined {
  const { obs } = ctx;
  if (obs.passwordRef === 'missing' && !obs.initSecretPresent) {
    const ref = ctx.cluster.spec.password;
    const name = ref.kind === 'secretRef' ? `${ref.name} (key ${ref.key})` : '';
    return { reason: ConditionReason.SecretMissing, message: `passwordSecretRef: Secret ${name} not found in namespace ${obs.cluster.namespace}` };
  }
  const conflict = obs.ipConflicts[0];
  if (conflict !== undefined) {
    return { reason: ConditionReason.IpConflict, message: `iplist: ${conflict.ip} is already used by cluster ${conflict.owner}` };
  }
  const missingNode = obs.members.find((m) => !m.nodeExists);
  if (missingNode !== undefined) {
    return { reason: ConditionReason.NodeNotFound, message: `iplist: node ${missingNode.nodename ?? ''} of member ${missingNode.ip} does not exist` };
  }
  const serviceFailure = obs.applyFailures.find((f) => f.kind === 'Service');
  if (serviceFailure !== undefined) {
    return { reason: ConditionReason.NodePortConflict, message: `${serviceFailure.object}: ${serviceFailure.message}` };
  }
  return imagePullProblem(ctx);
}

function imagePullProblem(ctx: StepContext): Problem | undefined {
  // A pod of the current image that cannot pull it: nothing the operator can do but say so. A pod
  // of an older image is recreated by the pods step instead.
  const stuck = ctx.obs.members.find((m) => m.pod !== undefined && IMAGE_PULL_REASONS.has(m.pod.waitingReason ?? '') && m.pod.image === ctx.cluster.spec.image);
  if (stuck?.pod === undefined) return undefined;
  return { reason: ConditionReason.ImagePullFailed, message: `pod ${stuck.pod.name}: ${stuck.pod.waitingReason ?? ''} for image ${ctx.cluster.spec.image}` };
}

export const badInputGate: Step = {
  name: 'badInput',
  run(ctx) {
    const problem = firstBadInput(ctx);
    if (problem === undefined) return CONTINUE_OUT;
    const previous = ctx.status.conditions?.find((c) => c.type === 'Degraded');
    const isNew = previous?.reason !== problem.reason || previous.message !== problem.message;
    return {
      findings: { gate: 'badInput', degraded: problem, message: problem.message },
      // One Warning per new problem, not one per pass (house style §6).
      events: isNew ? [{ type: 'Warning', reason: EventReason.ValidateFail, action: 'Validate', note: problem.message }] : [],
      next: requeue(BLOCKED_MS, problem.reason),
    };
  },
};

/**
 * Everything after this step reads the probes: a member whose probe is pending (a container that
 * just started or changed readiness, or an action just sent to it) would be taken for a stopped
 * database, so the pass ends here and the prober wakes the cluster when the probe is in. The
 * requeue is only a fallback.
 */
export const probesGate: Step = {
  name: 'probes',
  run(ctx) {
    const pending = ctx.obs.members.filter((m) => m.probing).map((m) => m.ip);
    if (pending.length === 0) return CONTINUE_OUT;
    return { findings: { gate: 'probing' }, next: requeue(WAIT_MS, `awaiting the probes of ${pending.join(', ')}`) };
  },
};
