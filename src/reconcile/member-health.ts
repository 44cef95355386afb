// Readings of one member's observation shared by the steps: is it a healthy primary or standby,
// what role label it deserves, does it need a full build. Pure functions of the observation.
import { RoleLabelValue } from '../api/v1/index.ts';
import type { MemberObservation, MemberProbe } from './types.ts';

export function probeOf(m: MemberObservation): MemberProbe | undefined {
  return m.probe?.ok === true ? m.probe.value : undefined;
}

/** The pod runs and the database process exists: commands can be sent to it. */
export function isRunning(m: MemberObservation): boolean {
  return m.pod !== undefined && !m.pod.deleting && m.pod.phase === 'Running' && probeOf(m)?.process === true;
}

/**
 * The og container runs but its database does not, and nothing explains it: no build or other
 * gs_ctl command at work, no maintenance flag. 2.0 starts such a member again; so do we, in its
 * role, instead of waiting for the entrypoint to give up and the container to restart.
 */
export function isStopped(m: MemberObservation): boolean {
  const p = probeOf(m);
  if (p === undefined || m.pod === undefined || m.pod.deleting || m.pod.phase !== 'Running') return false;
  return !p.process && !p.busy && !p.maintenance && p.buildStatus !== 2;
}

export function isHealthyPrimary(m: MemberObservation): boolean {
  const p = probeOf(m);
  return isRunning(m) && p?.role === 'primary' && p.dbState === 'Normal';
}

export function isHealthyStandby(m: MemberObservation): boolean {
  const p = probeOf(m);
  return isRunning(m) && p?.role === 'standby' && p.dbState === 'Normal';
}

/**
 * The opengauss.role label a pod deserves: only a ready pod whose database serves the role
 * (2.0 removes the label from unhealthy pods so that the Services stop routing to them).
 */
export function desiredLabel(m: MemberObservation): RoleLabelValue | undefined {
  if (m.pod?.ready !== true) return undefined;
  if (isHealthyPrimary(m)) return RoleLabelValue.Primary;
  if (isHealthyStandby(m)) return RoleLabelValue.Standby;
  return undefined;
}

/**
 * Written on a pod whose database serves its role before the readiness probe has seen it (a
 * standby built after the probe's first try): the kubelet syncs a pod on any metadata update and
 * a sync probes readiness at once for a container not yet ready, so the pod turns Ready now
 * instead of up to one readiness period (30 s by default) later. The value is the og container's
 * ID: one write per container instance.
 */
export const SERVING_CONTAINER_ANNOTATION = 'opengauss.sig/serving-container';

/** The og container whose database serves its role while its pod is not Ready, unless already marked. */
export function awaitsReadinessProbe(m: MemberObservation): string | undefined {
  const pod = m.pod;
  if (pod === undefined || pod.ready || pod.deleting || pod.ogContainerId === undefined) return undefined;
  if (!isHealthyPrimary(m) && !isHealthyStandby(m)) return undefined;
  return pod.annotations[SERVING_CONTAINER_ANNOTATION] === pod.ogContainerId ? undefined : pod.ogContainerId;
}

// Details after which a standby cannot catch up by streaming (opengauss.md §2.3): only a build helps.
const REBUILD_DETAILS = new Set(['WAL segment removed', 'System id not matched', 'Timeline not matched', 'Version not matched', 'Mode not matched', 'DCF log loss']);

/** A standby that will never stream again without a full build. */
export function needsRebuild(probe: MemberProbe): boolean {
  return probe.role === 'standby' && probe.dbState === 'Need repair' && REBUILD_DETAILS.has(probe.detail);
}

/** A member started pending (fresh pod) or without -M: it waits for the operator to give it a role. */
export function awaitsRole(probe: MemberProbe): boolean {
  return probe.role === 'pending' || probe.role === 'normal';
}

export const IMAGE_PULL_REASONS: ReadonlySet<string> = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);
