// Wire JSON → the shapes of client-node's model types, without client-node's generated serializer
// (it loads every generated model, most of client-node's ≈ 85 MiB). For the kinds the operator
// uses, a decoded model differs from the wire JSON only in its date-time fields, which are Date
// objects; this converts exactly those, listed per model below. codec.test.ts derives the lists
// from client-node's serializer and fails on drift. MicroTime fields (Lease renewTime, Event
// eventTime) stay strings, as the serializer leaves them. JSON.stringify turns Dates back into
// the wire's RFC 3339 strings, so objects go out unchanged.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceKind } from './kinds.ts';

type Meta = { managedFields?: unknown };

const metadataTimes = ['metadata.creationTimestamp', 'metadata.deletionTimestamp'];

const containerStatusTimes = (list: string): string[] => ['state', 'lastState'].flatMap((state) => [
  `status.${list}[].${state}.running.startedAt`, `status.${list}[].${state}.terminated.startedAt`, `status.${list}[].${state}.terminated.finishedAt`,
]);

/**
 * Date-time fields beyond metadata's, by model name. A model not listed has only metadata's, so
 * a kind with another model must be added here (codec.test.ts then checks its list).
 */
const modelTimes: Readonly<Record<string, readonly string[]>> = {
  V1Pod: [
    'status.startTime', 'status.conditions[].lastProbeTime', 'status.conditions[].lastTransitionTime',
    ...['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses'].flatMap(containerStatusTimes),
    'spec.volumes[].ephemeral.volumeClaimTemplate.metadata.creationTimestamp',
    'spec.volumes[].ephemeral.volumeClaimTemplate.metadata.deletionTimestamp',
  ],
  V1PersistentVolumeClaim: ['status.conditions[].lastProbeTime', 'status.conditions[].lastTransitionTime'],
  V1PersistentVolume: ['status.lastPhaseTransitionTime'],
  V1Service: ['status.conditions[].lastTransitionTime'],
  V1Node: ['spec.taints[].timeAdded', 'status.conditions[].lastHeartbeatTime', 'status.conditions[].lastTransitionTime'],
  EventsV1Event: ['deprecatedFirstTimestamp', 'deprecatedLastTimestamp'],
  CoreV1Event: ['firstTimestamp', 'lastTimestamp'],
};

/** The models with date-time fields beyond metadata's. */
export const decodedModels: readonly string[] = Object.keys(modelTimes);

/** Dotted paths of a model's date-time fields; `[]` marks a list (`status.conditions[].lastTransitionTime`). */
export function dateFieldsOf(model: string): readonly string[] {
  return [...metadataTimes, ...(modelTimes[model] ?? [])];
}

/** Replaces the string at `path` (split on dots) under `node` with a Date, in place. */
function toDate(node: unknown, path: readonly string[]): void {
  const [head, ...rest] = path;
  if (head === undefined || typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  const key = head.endsWith('[]') ? head.slice(0, -2) : head;
  const value = record[key];
  if (rest.length === 0) {
    if (typeof value === 'string') record[key] = new Date(value);
  } else if (head.endsWith('[]')) {
    if (Array.isArray(value)) for (const item of value) toDate(item, rest);
  } else {
    toDate(value, rest);
  }
}

/** Removes metadata.managedFields in place: large, and never read by the operator. */
export function stripManagedFields<T extends KubernetesObject>(object: T): T {
  const meta = object.metadata as Meta | undefined;
  if (meta && 'managedFields' in meta) delete meta.managedFields;
  return object;
}

/** Decodes one object of `kind` from parsed wire JSON, in place; custom resources stay plain JSON. */
export function decodeObject<T extends KubernetesObject>(kind: ResourceKind<T>, raw: unknown): T {
  const object = stripManagedFields(raw as T);
  if (kind.model === undefined) return object;
  for (const path of dateFieldsOf(kind.model)) toDate(object, path.split('.'));
  return object;
}
