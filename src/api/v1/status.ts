// The OpenGaussCluster status, written only by the operator. It keeps 2.0's wire fields (state,
// primary, message) and adds Kubernetes-standard conditions, observedGeneration, per-member status
// and the in-flight operation record. It stays permissive on purpose: objects adopted from 2.0 carry
// status.spec, podstate, syncState, restore, lastUpdateTime and 2.0-shaped conditions, and the
// apiserver validates the whole object on every write, so a strict status schema would make those
// objects unwritable until the operator had rewritten them.
import Type from 'typebox';
import type { Static } from 'typebox';
import { Int32, Int64, PreserveUnknown, StringEnum, StringMap } from './schema-helpers.ts';
import { ClusterStates } from './states.ts';
import { ConditionStatuses, MemberRoles, OperationTypes } from './values.ts';

const SHORT = 256;
const MESSAGE_MAX = 32768;

/** metav1.Condition; only type and status are required so that 2.0's conditions stay valid. */
export const Condition = Type.Object({
  type: Type.String({ description: 'Condition type, PascalCase: Ready, Progressing, Degraded.', maxLength: 316 }),
  status: StringEnum(ConditionStatuses, { description: 'True, False or Unknown.' }),
  observedGeneration: Type.Optional(Int64({ minimum: 0, description: 'metadata.generation the condition was computed from.' })),
  lastTransitionTime: Type.Optional(Type.String({ format: 'date-time', description: 'When status last changed (RFC 3339).' })),
  reason: Type.Optional(Type.String({ maxLength: 1024, description: 'PascalCase cause of the status (conditions.ts).' })),
  message: Type.Optional(Type.String({ maxLength: MESSAGE_MAX, description: 'Human-readable detail.' })),
  lastUpdateTime: Type.Optional(Type.String({ maxLength: 64, description: 'Legacy (2.0): local time of the last update. Not written by this operator.' })),
}, { description: 'A condition in the Kubernetes metav1.Condition shape.' });
export type Condition = Static<typeof Condition>;

export const MemberStatus = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 253, description: 'Pod name.' })),
  ip: Type.String({ maxLength: 64, description: 'Pod IP, the member\'s identity.' }),
  node: Type.Optional(Type.String({ maxLength: 253, description: 'Node the pod runs on.' })),
  role: Type.Optional(StringEnum(MemberRoles, { description: 'Database role the last probe saw.' })),
  ready: Type.Optional(Type.Boolean({ description: 'Whether the member serves its role.' })),
  lsn: Type.Optional(Type.String({ maxLength: 64, description: 'Last WAL position seen (received or replayed on a standby, current on the primary), as X/X.' })),
  term: Type.Optional(Int64({ minimum: 0, description: 'openGauss term of the member.' })),
  syncState: Type.Optional(Type.String({ maxLength: 64, description: 'Sync, Potential, Async or Quorum, as the primary reports it.' })),
  lastProbeTime: Type.Optional(Type.String({ format: 'date-time', description: 'When the member was last probed.' })),
  error: Type.Optional(Type.String({ maxLength: 4096, description: 'Why the last probe failed, when it did.' })),
}, { description: 'What the operator last observed of one member.' });
export type MemberStatus = Static<typeof MemberStatus>;

/** A disruptive operation is recorded here before it is performed, so a new leader can resume it. */
export const OperationStatus = Type.Object({
  id: Type.String({ maxLength: 128, description: 'Unique id of the operation.' }),
  type: StringEnum(OperationTypes, { description: 'Kind of operation.' }),
  from: Type.Optional(Type.String({ maxLength: 253, description: 'Pod the operation moves away from (the old primary).' })),
  to: Type.Optional(Type.String({ maxLength: 253, description: 'Pod the operation moves to (the new primary, the member rebuilt).' })),
  phase: Type.String({ maxLength: 64, description: 'Current step of the operation.' }),
  startedAt: Type.String({ format: 'date-time', description: 'When the operation started.' }),
  attempt: Int32({ minimum: 0, description: 'Retry count of the current phase.' }),
}, { description: 'The disruptive operation in progress, if any.' });
export type OperationStatus = Static<typeof OperationStatus>;

const legacy = {
  spec: Type.Optional(PreserveUnknown({ description: 'Legacy (2.0): the last applied spec, kept on adopted objects.' })),
  podstate: Type.Optional(StringMap({ description: 'Legacy (2.0): readable state per pod IP.' })),
  syncState: Type.Optional(Type.Array(PreserveUnknown({ description: 'Legacy (2.0): {ip, percent, state, priority}.' }), { description: 'Legacy (2.0): replication state from gs_ctl query.' })),
  restore: Type.Optional(Type.String({ maxLength: SHORT, description: 'Legacy (2.0): Prepare, Running or Succeeded.' })),
  lastUpdateTime: Type.Optional(Type.String({ maxLength: 64, description: 'Legacy (2.0): local time of the last status write.' })),
};

export const ClusterStatus = Type.Object({
  state: Type.Optional(Type.String({
    maxLength: 64,
    description: `Cluster state, as in 2.0: ${ClusterStates.join(', ')}. Details are in conditions.`,
  })),
  primary: Type.Optional(Type.String({ maxLength: 64, description: 'Pod IP of the primary; empty when localrole is standby.' })),
  message: Type.Optional(Type.String({ maxLength: MESSAGE_MAX, description: 'Last error, or why the spec is invalid.' })),
  observedGeneration: Type.Optional(Int64({ minimum: 0, description: 'metadata.generation of the spec the operator last acted on.' })),
  conditions: Type.Optional(Type.Array(Condition, {
    description: 'Ready, Progressing and Degraded (see conditions.ts for reasons).',
    maxItems: 32,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['type'],
  })),
  members: Type.Optional(Type.Array(MemberStatus, { description: 'One entry per member pod, in iplist order.', maxItems: 32 })),
  operation: Type.Optional(OperationStatus),
  ...legacy,
}, { description: 'Observed state, written by the operator.' });
export type ClusterStatus = Static<typeof ClusterStatus>;
