// Status transactions (house style §3, CNPG's transactions): pure functions from the freshest
// status to the next one. applyIntent writes a disruptive decision before it is acted on;
// deriveStatus writes what the pass observed and concluded. Legacy 2.0 fields are kept as found.
import {
  ClusterState, ConditionReason, ConditionType, EventReason, type ClusterStatus, type Condition, type MemberStatus,
} from '../api/v1/index.ts';
import { receivedPosition } from '../domain/gs-ctl-query.ts';
import { renderLsn, type Lsn } from '../domain/lsn.ts';
import { desiredLabel, isHealthyPrimary, probeOf } from './member-health.ts';
import type { Decision, EventIntent, Findings, MemberObservation, Observation, ProbedRole } from './types.ts';

export function applyIntent(current: ClusterStatus | undefined, intent: Decision['intent']): ClusterStatus {
  const next: ClusterStatus = { ...current };
  if (intent?.primary !== undefined) next.primary = intent.primary;
  if (intent?.operation === null) delete next.operation;
  else if (intent?.operation !== undefined) next.operation = intent.operation;
  return next;
}

function stateOf(obs: Observation, findings: Findings, current: ClusterStatus): ClusterState {
  if (findings.gate === 'invalid') return ClusterState.Invalid;
  if (findings.gate === 'maintaining') return ClusterState.Maintaining;
  if (findings.converged) return ClusterState.Ready;
  const reason = findings.degraded?.reason;
  if (reason === ConditionReason.MemberNeedsRebuild || reason === ConditionReason.MultiplePrimaries) return ClusterState.Failed;
  // observedGeneration is written only when a generation was fully applied (ready).
  if (current.observedGeneration === undefined) return ClusterState.Creating;
  return current.observedGeneration === obs.cluster.generation ? ClusterState.Recovering : ClusterState.Updating;
}

type MemberRole = NonNullable<MemberStatus['role']>;
const roleOf: Readonly<Record<ProbedRole, MemberRole>> = { primary: 'primary', standby: 'standby', pending: 'pending', normal: 'unknown', unknown: 'unknown' };

function lsnOf(m: MemberObservation): Lsn | undefined {
  const query = probeOf(m)?.query;
  if (query === undefined) return undefined;
  if (query.ha.localRole === 'Primary') return query.senders.reduce<Lsn | undefined>((max, s) => (s.sentLsn !== undefined && (max === undefined || s.sentLsn > max) ? s.sentLsn : max), undefined);
  return receivedPosition(query);
}

function syncStateOf(m: MemberObservation, primary: MemberObservation | undefined): string | undefined {
  if (primary === undefined || primary === m) return undefined;
  const state = probeOf(primary)?.query?.senders.find((s) => s.peerIp === m.ip)?.syncState;
  return state === '' ? undefined : state;
}

function probeError(m: MemberObservation): string | undefined {
  if (m.probe === undefined) return m.pod === undefined ? 'pod missing' : `pod ${m.pod.phase}, not probed`;
  return m.probe.ok ? undefined : m.probe.error.slice(0, 4000);
}

/** Only the fields that have a value (exactOptionalPropertyTypes; absent keys are removed by the patch). */
function defined(fields: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
}

function memberStatus(m: MemberObservation, primary: MemberObservation | undefined): MemberStatus {
  const probe = probeOf(m);
  const lsn = lsnOf(m);
  return {
    ip: m.ip,
    ...defined({ name: m.pod?.name, node: m.pod?.node ?? m.nodename, lsn: lsn === undefined ? undefined : renderLsn(lsn), syncState: syncStateOf(m, primary), error: probeError(m) }),
    role: probe === undefined ? 'unknown' : roleOf[probe.role],
    ready: desiredLabel(m) !== undefined,
  };
}

type ConditionSpec = { readonly status: 'True' | 'False'; readonly reason: string; readonly message: string };

function condition(type: string, spec: ConditionSpec, previous: readonly Condition[], obs: Observation): Condition {
  const before = previous.find((c) => c.type === type);
  const since = before?.status === spec.status && before.lastTransitionTime !== undefined ? before.lastTransitionTime : new Date(obs.nowMs).toISOString();
  return { type, status: spec.status, reason: spec.reason, message: spec.message, observedGeneration: obs.cluster.generation, lastTransitionTime: since };
}

function readyCondition(obs: Observation, findings: Findings, primaryIp: string | undefined): ConditionSpec {
  if (findings.gate === 'invalid') return { status: 'False', reason: ConditionReason.InvalidSpec, message: findings.message ?? '' };
  const standbySite = obs.validation.ok && obs.validation.spec.localrole === 'standby';
  if (findings.converged) {
    return standbySite ? { status: 'False', reason: ConditionReason.StandbySite, message: 'standby site: reads only' } : { status: 'True', reason: ConditionReason.ClusterReady, message: 'all members healthy' };
  }
  if (!standbySite && primaryIp === undefined) return { status: 'False', reason: ConditionReason.PrimaryUnavailable, message: 'no member serves as primary' };
  return { status: 'False', reason: ConditionReason.MembersNotReady, message: 'some members are not ready' };
}

const progressingByState: Partial<Record<ClusterState, string>> = {
  [ClusterState.Creating]: ConditionReason.Creating, [ClusterState.Updating]: ConditionReason.Updating, [ClusterState.Recovering]: ConditionReason.Recovering,
};

function progressingCondition(state: ClusterState, findings: Findings): ConditionSpec {
  if (state === ClusterState.Maintaining) return { status: 'False', reason: ConditionReason.MaintenanceMode, message: 'spec.maintenance is true: no actions' };
  if (state === ClusterState.Ready || state === ClusterState.Invalid || state === ClusterState.Failed) return { status: 'False', reason: ConditionReason.ReconcileComplete, message: state };
  const p = findings.progressing;
  return { status: 'True', reason: p?.reason ?? progressingByState[state] ?? ConditionReason.Recovering, message: p?.message ?? state };
}

/** The status after this pass, computed on the freshest status (it may run more than once). */
export function deriveStatus(obs: Observation, findings: Findings, fresh: ClusterStatus | undefined): ClusterStatus {
  const current = fresh ?? {};
  // Probes pending: nothing new is known about the members, so the status stays as it was.
  return findings.gate === 'probing' && current.state !== undefined ? current : nextStatus(obs, findings, current);
}

function nextStatus(obs: Observation, findings: Findings, current: ClusterStatus): ClusterStatus {
  const state = stateOf(obs, findings, current);
  const primaryMember = obs.members.find(isHealthyPrimary);
  const standbySite = obs.validation.ok && obs.validation.spec.localrole === 'standby';
  const primaryIp = primaryMember?.ip;
  const previous = current.conditions ?? [];
  const degraded: ConditionSpec = findings.degraded === undefined ? { status: 'False', reason: ConditionReason.AsExpected, message: '' } : { status: 'True', ...findings.degraded };
  const next: ClusterStatus = {
    ...current,
    state,
    primary: standbySite ? '' : (primaryIp ?? current.primary ?? ''),
    conditions: [
      condition(ConditionType.Ready, readyCondition(obs, findings, primaryIp), previous, obs),
      condition(ConditionType.Progressing, progressingCondition(state, findings), previous, obs),
      condition(ConditionType.Degraded, degraded, previous, obs),
    ],
    members: obs.members.map((m) => memberStatus(m, primaryMember)),
  };
  if (findings.message !== undefined && findings.message !== '') next.message = findings.message;
  else delete next.message;
  if (state === ClusterState.Ready) next.observedGeneration = obs.cluster.generation;
  return next;
}

/** One event per state change (2.0's lifecycle reasons), never one per pass. */
export function stateChangeEvents(from: string | undefined, to: string, message: string): EventIntent[] {
  if (from === to) return [];
  const events: EventIntent[] = [];
  if (from === ClusterState.Maintaining) events.push({ type: 'Normal', reason: EventReason.MaintainComplete, action: 'Reconcile', note: 'maintenance ended; the operator acts again' });
  if (from === ClusterState.Invalid) events.push({ type: 'Normal', reason: EventReason.ValidateFix, action: 'Validate', note: 'the spec is valid again' });
  const byState: Partial<Record<string, EventIntent>> = {
    creating: { type: 'Normal', reason: EventReason.Creating, action: 'Reconcile', note: 'creating the cluster' },
    updating: { type: 'Normal', reason: EventReason.Updating, action: 'Reconcile', note: 'applying a spec change' },
    recovering: { type: 'Warning', reason: EventReason.Recovering, action: 'Reconcile', note: message === '' ? 'repairing the cluster' : message },
    ready: { type: 'Normal', reason: EventReason.Ready, action: 'Reconcile', note: 'all members healthy' },
    maintaining: { type: 'Normal', reason: EventReason.MaintainStart, action: 'Reconcile', note: 'spec.maintenance is true: the operator leaves the cluster alone' },
    invalid: { type: 'Warning', reason: EventReason.ValidateFail, action: 'Validate', note: message },
    failed: { type: 'Warning', reason: EventReason.Failed, action: 'Reconcile', note: message === '' ? 'needs a human' : message },
  };
  const event = byState[to];
  return event === undefined ? events : [...events, event];
}
