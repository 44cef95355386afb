// Pod status from the agent's records (reference 3.3): phase, conditions and container statuses,
// as the JSON body of a strategic-merge patch on pods/<name>/status. Pure. Container `state`
// always names all three keys, absent ones as null, because a strategic merge would otherwise
// keep the old `running` next to a new `terminated`.
import type { V1PodSpec } from '@kubernetes/client-node';
import type { ContainerRecord, ContainerState, Terminated } from './container-record.ts';

export type PodView = {
  readonly spec: V1PodSpec;
  readonly hostIp: string;
  readonly podIp?: string;
  readonly startTime: string;
  /** IP allocated and volumes prepared. */
  readonly sandboxReady: boolean;
  /** Pod-level problem shown as status.reason/message (e.g. a refused IP). */
  readonly problem?: { readonly reason: string; readonly message: string };
  readonly initContainers: readonly ContainerRecord[];
  readonly containers: readonly ContainerRecord[];
  /** Every init container that must complete has exited 0. */
  readonly initDone: boolean;
  /** Whether the pod failed for good (an init container failed under restartPolicy Never). */
  readonly initFailed: boolean;
  /** Readiness gate condition types → status from the Pod's current conditions. */
  readonly readinessGates: ReadonlyMap<string, boolean>;
};

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export type Condition = { readonly type: string; readonly status: 'True' | 'False'; readonly reason?: string; readonly message?: string };

export function isSidecar(spec: V1PodSpec, name: string): boolean {
  return spec.initContainers?.some((c) => c.name === name && c.restartPolicy === 'Always') === true;
}

export function derivePhase(view: PodView): PodPhase {
  if (view.initFailed) return 'Failed';
  if (!view.initDone) return 'Pending';
  const states = view.containers.map((c) => c.state);
  if (states.length > 0 && states.every((s) => s.kind === 'terminated')) {
    return states.some((s) => s.kind === 'terminated' && s.exitCode !== 0) ? 'Failed' : 'Succeeded';
  }
  if (states.some((s) => s.kind === 'running')) return 'Running';
  const restarting = view.containers.some((c) => c.restartCount > 0 || c.lastState !== undefined || c.state.kind === 'terminated');
  return restarting ? 'Running' : 'Pending';
}

function condition(type: string, ok: boolean, reason?: string, message?: string): Condition {
  if (ok) return { type, status: 'True' };
  return { type, status: 'False', ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

const nameList = (records: readonly ContainerRecord[]): string => `[${records.map((r) => r.name).join(' ')}]`;

export function deriveConditions(view: PodView, phase: PodPhase): Condition[] {
  const sidecars = view.initContainers.filter((c) => isSidecar(view.spec, c.name));
  const pendingInit = view.initContainers.filter((c) => !isSidecar(view.spec, c.name) && !(c.state.kind === 'terminated' && c.state.exitCode === 0));
  const notReady = [...sidecars, ...view.containers].filter((c) => !c.ready);
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const gatesFalse = [...view.readinessGates].filter(([, ok]) => !ok).map(([t]) => t);
  const containersReady = !terminal && notReady.length === 0;
  const readyReason = terminal ? 'PodCompleted' : notReady.length > 0 ? 'ContainersNotReady' : 'ReadinessGatesNotReady';
  const readyMessage = terminal ? undefined : notReady.length > 0 ? `containers with unready status: ${nameList(notReady)}` : `corresponding condition of pod readiness gate "${gatesFalse.join('", "')}" does not exist or is False`;
  return [
    condition('PodReadyToStartContainers', view.sandboxReady),
    condition('Initialized', view.initDone || view.initFailed && pendingInit.length === 0, 'ContainersNotInitialized', `containers with incomplete status: ${nameList(pendingInit)}`),
    condition('ContainersReady', containersReady, terminal ? 'PodCompleted' : 'ContainersNotReady', terminal ? undefined : `containers with unready status: ${nameList(notReady)}`),
    condition('Ready', containersReady && gatesFalse.length === 0, readyReason, readyMessage),
  ];
}

function renderTerminated(t: Terminated): Record<string, unknown> {
  return {
    exitCode: t.exitCode, ...(t.signal !== undefined ? { signal: t.signal } : {}), reason: t.reason,
    ...(t.message !== undefined ? { message: t.message } : {}), startedAt: t.startedAt, finishedAt: t.finishedAt, containerID: t.containerId,
  };
}

export function renderState(state: ContainerState): Record<string, unknown> {
  switch (state.kind) {
    case 'waiting':
      return { waiting: { reason: state.reason, ...(state.message !== undefined ? { message: state.message } : {}) }, running: null, terminated: null };
    case 'running':
      return { waiting: null, running: { startedAt: state.startedAt }, terminated: null };
    case 'terminated':
      return { waiting: null, running: null, terminated: renderTerminated(state) };
  }
}

export function renderContainerStatus(record: ContainerRecord): Record<string, unknown> {
  return {
    name: record.name,
    image: record.image,
    imageID: record.imageId,
    ...(record.containerId !== undefined ? { containerID: record.containerId } : {}),
    ready: record.ready,
    started: record.started,
    restartCount: record.restartCount,
    state: renderState(record.state),
    lastState: record.lastState === undefined ? {} : { terminated: renderTerminated(record.lastState) },
  };
}

/** The status body without condition times (the shell adds them, see carryTransitionTimes). */
export function derivePodStatus(view: PodView): { phase: PodPhase; conditions: Condition[]; body: Record<string, unknown> } {
  const phase = derivePhase(view);
  const conditions = deriveConditions(view, phase);
  const body: Record<string, unknown> = {
    phase,
    hostIP: view.hostIp,
    hostIPs: [{ ip: view.hostIp }],
    startTime: view.startTime,
    reason: view.problem?.reason ?? null,
    message: view.problem?.message ?? null,
    initContainerStatuses: view.initContainers.map(renderContainerStatus),
    containerStatuses: view.containers.map(renderContainerStatus),
  };
  if (view.podIp !== undefined) Object.assign(body, { podIP: view.podIp, podIPs: [{ ip: view.podIp }] });
  return { phase, conditions, body };
}

export type TimedCondition = Condition & { readonly lastTransitionTime: string; readonly lastProbeTime: null };

/** Keeps lastTransitionTime unless the condition's status flipped. */
export function carryTransitionTimes(previous: ReadonlyMap<string, TimedCondition>, next: readonly Condition[], now: string): TimedCondition[] {
  return next.map((c) => {
    const before = previous.get(c.type);
    const lastTransitionTime = before !== undefined && before.status === c.status ? before.lastTransitionTime : now;
    return { ...c, lastTransitionTime, lastProbeTime: null };
  });
}
