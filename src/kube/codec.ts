// Wire JSON → client-node model objects, the same decoding the generated APIs apply, so an
// object from a watch event and one from `get` have the same shape (Date timestamps, camelCase
// property names). client-node does not export its serializer from the package root; the deep
// import is pinned by the exact dependency version (2.0.1) and covered by codec.test.ts.
import type { KubernetesObject } from '@kubernetes/client-node';
import { ObjectSerializer } from '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js';
import type { ResourceKind } from './kinds.ts';

type Meta = { managedFields?: unknown };

/** Removes metadata.managedFields in place: large, and never read by the operator. */
export function stripManagedFields<T extends KubernetesObject>(object: T): T {
  const meta = object.metadata as Meta | undefined;
  if (meta && 'managedFields' in meta) delete meta.managedFields;
  return object;
}

/** Decodes one object of `kind` from wire JSON; custom resources stay plain JSON. */
export function decodeObject<T extends KubernetesObject>(kind: ResourceKind<T>, raw: unknown): T {
  const object = stripManagedFields(raw as T);
  if (kind.model === undefined) return object;
  return ObjectSerializer.deserialize(object, kind.model, '') as T;
}
