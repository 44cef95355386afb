// Work-queue keys (`namespace/name`, or `name` for cluster-scoped objects) and the mappers
// that turn an informer event into the keys to reconcile: the object itself, its controlling
// owner, or the owner named by a label (for children whose owner reference is not ours).
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceKind } from '../kube/kinds.ts';
import type { ObjectRef } from '../kube/port.ts';
import { objectKey, refKey } from './store.ts';

export type KeyMapper<T extends KubernetesObject = KubernetesObject> = (object: T) => readonly string[];

export function keyOf(ref: ObjectRef): string {
  return refKey(ref);
}

export function parseKey(key: string): ObjectRef {
  const slash = key.indexOf('/');
  return slash < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** The object's own key: for the primary resource of a controller. */
export const mapToSelf: KeyMapper = (object) => [objectKey(object)];

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * The owner's key from ownerReferences matching the owner kind (any version of its group);
 * the controller reference wins when several match. Owners share the child's namespace.
 */
export function mapToOwner(owner: ResourceKind<KubernetesObject>): KeyMapper {
  return (object) => {
    const refs = (object.metadata?.ownerReferences ?? []).filter((r) => r.kind === owner.kind && groupOf(r.apiVersion) === owner.group);
    const chosen = refs.find((r) => r.controller === true) ?? refs[0];
    if (chosen === undefined) return [];
    return [keyOf({ namespace: owner.namespaced ? (object.metadata?.namespace ?? '') : '', name: chosen.name })];
  };
}

/** The owner's key from a label holding its name (same namespace). */
export function mapByLabel(labelKey: string): KeyMapper {
  return (object) => {
    const name = object.metadata?.labels?.[labelKey];
    return name === undefined || name === '' ? [] : [keyOf({ namespace: object.metadata?.namespace ?? '', name })];
  };
}

/** Keys from the first mapper that yields any: e.g. owner reference first, then label. */
export function firstOf(...mappers: readonly KeyMapper[]): KeyMapper {
  return (object) => {
    for (const mapper of mappers) {
      const keys = mapper(object);
      if (keys.length > 0) return keys;
    }
    return [];
  };
}
