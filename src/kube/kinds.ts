// Resource descriptors: what the generic client, the watch loop and the informers need to
// address a kind without discovery. The type parameter is a phantom that carries the object
// type through `get`, `list` and the caches, so callers never cast.
import type {
  CoreV1Event, EventsV1Event, KubernetesObject, V1ConfigMap, V1Lease, V1PersistentVolume, V1PersistentVolumeClaim, V1Pod, V1Secret, V1Service,
} from '@kubernetes/client-node';

export type ResourceKind<T extends KubernetesObject = KubernetesObject> = {
  /** API group; '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Lower-case plural used in URLs (`pods`, `openGaussclusters`). */
  readonly plural: string;
  readonly namespaced: boolean;
  /**
   * client-node model name (`V1Pod`): its date-time fields are decoded to Date, as client-node's
   * generated APIs do (codec.ts lists them per model). Absent for custom resources: plain JSON.
   */
  readonly model?: string;
  /** Phantom: never set; carries T. */
  readonly _type?: T;
};

export function defineKind<T extends KubernetesObject>(kind: Omit<ResourceKind<T>, '_type'>): ResourceKind<T> {
  return kind;
}

export function apiVersionOf(kind: ResourceKind<KubernetesObject>): string {
  return kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;
}

/** `/api/v1/namespaces/ns/pods` or `/apis/g/v/plural` for cluster-wide access. */
export function collectionPath(kind: ResourceKind<KubernetesObject>, namespace?: string): string {
  const root = kind.group === '' ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
  const scope = kind.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${root}${scope}/${kind.plural}`;
}

/** `/api/v1/namespaces/ns/pods/name`; the namespace is ignored for cluster-scoped kinds. */
export function objectPath(kind: ResourceKind<KubernetesObject>, ref: { readonly namespace: string; readonly name: string }): string {
  return `${collectionPath(kind, kind.namespaced ? ref.namespace : undefined)}/${encodeURIComponent(ref.name)}`;
}

/** Human label used in logs and error messages: `pods` or `widgets.example.com`. */
export function kindLabel(kind: ResourceKind<KubernetesObject>): string {
  return kind.group === '' ? kind.plural : `${kind.plural}.${kind.group}`;
}

export const Kinds = {
  Pod: defineKind<V1Pod>({ group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true, model: 'V1Pod' }),
  PersistentVolume: defineKind<V1PersistentVolume>({
    group: '', version: 'v1', kind: 'PersistentVolume', plural: 'persistentvolumes', namespaced: false, model: 'V1PersistentVolume',
  }),
  PersistentVolumeClaim: defineKind<V1PersistentVolumeClaim>({
    group: '', version: 'v1', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', namespaced: true, model: 'V1PersistentVolumeClaim',
  }),
  Service: defineKind<V1Service>({ group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true, model: 'V1Service' }),
  ConfigMap: defineKind<V1ConfigMap>({ group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, model: 'V1ConfigMap' }),
  Secret: defineKind<V1Secret>({ group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true, model: 'V1Secret' }),
  Lease: defineKind<V1Lease>({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', namespaced: true, model: 'V1Lease' }),
  Event: defineKind<EventsV1Event>({ group: 'events.k8s.io', version: 'v1', kind: 'Event', plural: 'events', namespaced: true, model: 'EventsV1Event' }),
  /** core/v1 Events, watched only to map FailedMount and similar to their owners. */
  CoreEvent: defineKind<CoreV1Event>({ group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true, model: 'CoreV1Event' }),
} as const;
