// The Kubernetes port: everything a reconciler may do to the cluster, as interfaces. The
// client-node adapter (client.ts) implements KubeClient; the runtime's informers implement
// CacheReader; component tests implement both with fakes. Nothing here names openGauss.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceKind } from './kinds.ts';

/** The one field manager for every server-side apply the operator makes. */
export const FIELD_MANAGER = 'opengauss-operator';

/** `namespace` is '' for cluster-scoped kinds. */
export type ObjectRef = { readonly namespace: string; readonly name: string };

export type LabelMap = Readonly<Record<string, string>>;

export type ListOptions = {
  readonly namespace?: string;
  /** A Kubernetes label selector string (`app=x,role in (a,b)`). */
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
};

export type ListResult<T> = { readonly items: T[]; readonly resourceVersion: string };

export type DeleteOptions = {
  /** Delete only if the object still has this uid / resourceVersion (HTTP 409 otherwise). */
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  readonly gracePeriodSeconds?: number;
};

export type DeleteOutcome = 'deleted' | 'notFound';

/**
 * Computes the desired status from the freshest object. Return `undefined` for "nothing to
 * write"; an equal status is detected and skipped as well. Must be pure: it may run several
 * times when the object changes concurrently.
 */
export type StatusUpdate<T, S> = (object: T, status: S | undefined) => S | undefined;

export type StatusUpdateOutcome<T> =
  | { readonly kind: 'patched'; readonly object: T; readonly attempts: number }
  | { readonly kind: 'unchanged'; readonly object: T }
  | { readonly kind: 'notFound' };

/** Live API calls. Every failure is a KubeApiError (kube-api-error.ts). */
export interface KubeClient {
  /** Live read; `undefined` on 404. Prefer the cache in reconcilers. */
  get<T extends KubernetesObject>(kind: ResourceKind<T>, ref: ObjectRef): Promise<T | undefined>;
  /** Live list across pages; items carry apiVersion and kind, managedFields stripped. */
  list<T extends KubernetesObject>(kind: ResourceKind<T>, options?: ListOptions): Promise<ListResult<T>>;
  create<T extends KubernetesObject>(kind: ResourceKind<T>, object: T): Promise<T>;
  /** PUT carrying metadata.resourceVersion: compare-and-swap, HTTP 409 when it moved. */
  replace<T extends KubernetesObject>(kind: ResourceKind<T>, object: T): Promise<T>;
  /** Server-side apply with the operator's field manager and force: the object is the full intent. */
  apply<T extends KubernetesObject>(kind: ResourceKind<T>, object: T): Promise<T>;
  /** JSON merge patch (RFC 7386) of the main resource; `null` deletes a key. */
  mergePatch<T extends KubernetesObject>(kind: ResourceKind<T>, ref: ObjectRef, patch: object): Promise<T>;
  /**
   * Optimistic-lock status write of a custom resource: fresh read, `update` applied, skipped when
   * equal, merge patch carrying resourceVersion, bounded retry on 409 (then the conflict is thrown).
   */
  updateStatus<T extends KubernetesObject, S>(kind: ResourceKind<T>, ref: ObjectRef, update: StatusUpdate<T, S>): Promise<StatusUpdateOutcome<T>>;
  delete(kind: ResourceKind<KubernetesObject>, ref: ObjectRef, options?: DeleteOptions): Promise<DeleteOutcome>;
}

/** Reads from an informer cache: synchronous, no API call, objects must not be mutated. */
export interface CacheReader<T extends KubernetesObject> {
  /** True once the first list has been stored. */
  readonly synced: boolean;
  get(ref: ObjectRef): T | undefined;
  /** Objects in a namespace (all when absent) whose labels include every given pair. */
  list(options?: { readonly namespace?: string; readonly labels?: LabelMap }): T[];
  /** Objects with an ownerReference to this uid. */
  listByOwner(ownerUid: string): T[];
}
