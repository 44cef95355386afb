// The informer's object store: objects by namespace/name, with indexes by namespace, by owner
// uid and by chosen label pairs, so that "pods of this cluster" is a lookup, not a scan.
// Changes are returned as values so the informer decides what to tell its handlers.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { CacheReader, LabelMap, ObjectRef } from '../kube/port.ts';

export type StoreChange<T> =
  | { readonly type: 'add'; readonly object: T }
  | { readonly type: 'update'; readonly old: T; readonly object: T }
  | { readonly type: 'delete'; readonly object: T };

export type Store<T extends KubernetesObject> = CacheReader<T> & {
  readonly size: number;
  upsert(object: T): StoreChange<T> | undefined;
  remove(object: T): StoreChange<T> | undefined;
  /** Replaces the whole content (after a list) and returns what changed. */
  replace(items: readonly T[]): StoreChange<T>[];
  all(): T[];
  markSynced(): void;
};

export function objectKey(object: KubernetesObject): string {
  const ns = object.metadata?.namespace ?? '';
  return ns === '' ? (object.metadata?.name ?? '') : `${ns}/${object.metadata?.name ?? ''}`;
}

export function refKey(ref: ObjectRef): string {
  return ref.namespace === '' ? ref.name : `${ref.namespace}/${ref.name}`;
}

type Index = Map<string, Set<string>>;

function addTo(index: Index, value: string, key: string): void {
  const set = index.get(value);
  if (set) set.add(key);
  else index.set(value, new Set([key]));
}

function removeFrom(index: Index, value: string, key: string): void {
  const set = index.get(value);
  if (!set) return;
  set.delete(key);
  if (set.size === 0) index.delete(value);
}

function indexValues(object: KubernetesObject, indexedLabels: readonly string[]): { ns: string; owners: string[]; labels: string[] } {
  const labels = object.metadata?.labels ?? {};
  return {
    ns: object.metadata?.namespace ?? '',
    owners: (object.metadata?.ownerReferences ?? []).map((o) => o.uid),
    labels: indexedLabels.filter((l) => labels[l] !== undefined).map((l) => `${l}=${labels[l]}`),
  };
}

function hasLabels(object: KubernetesObject, wanted: LabelMap): boolean {
  const labels = object.metadata?.labels ?? {};
  return Object.entries(wanted).every(([k, v]) => labels[k] === v);
}

/** `indexedLabels`: label keys whose key=value pairs get an index (e.g. the cluster-name label). */
export function createStore<T extends KubernetesObject>(indexedLabels: readonly string[] = []): Store<T> {
  const objects = new Map<string, T>();
  const byNamespace: Index = new Map();
  const byOwner: Index = new Map();
  const byLabel: Index = new Map();
  let synced = false;

  function index(key: string, object: T, add: boolean): void {
    const values = indexValues(object, indexedLabels);
    const apply = add ? addTo : removeFrom;
    apply(byNamespace, values.ns, key);
    for (const uid of values.owners) apply(byOwner, uid, key);
    for (const pair of values.labels) apply(byLabel, pair, key);
  }

  function pick(keys: Iterable<string> | undefined): T[] {
    const out: T[] = [];
    for (const key of keys ?? []) {
      const object = objects.get(key);
      if (object !== undefined) out.push(object);
    }
    return out;
  }

  function candidates(namespace: string | undefined, labels: LabelMap | undefined): T[] {
    const indexed = Object.entries(labels ?? {}).find(([k]) => indexedLabels.includes(k));
    if (indexed) return pick(byLabel.get(`${indexed[0]}=${indexed[1]}`));
    if (namespace !== undefined) return pick(byNamespace.get(namespace));
    return [...objects.values()];
  }

  function upsert(object: T): StoreChange<T> | undefined {
    const key = objectKey(object);
    const old = objects.get(key);
    if (old !== undefined && old.metadata?.resourceVersion === object.metadata?.resourceVersion) return undefined;
    if (old !== undefined) index(key, old, false);
    objects.set(key, object);
    index(key, object, true);
    return old === undefined ? { type: 'add', object } : { type: 'update', old, object };
  }

  function remove(object: T): StoreChange<T> | undefined {
    const key = objectKey(object);
    const old = objects.get(key);
    if (old === undefined) return undefined;
    index(key, old, false);
    objects.delete(key);
    // The final state from a DELETED event is fresher than what the cache held.
    return { type: 'delete', object };
  }

  function replace(items: readonly T[]): StoreChange<T>[] {
    const seen = new Set(items.map(objectKey));
    const changes: StoreChange<T>[] = [];
    const keep = (change: StoreChange<T> | undefined): void => { if (change !== undefined) changes.push(change); };
    // Deleting from a Map while iterating it is defined: removed entries are not visited.
    for (const [key, old] of objects) if (!seen.has(key)) keep(remove(old));
    for (const item of items) keep(upsert(item));
    return changes;
  }

  return {
    get synced() { return synced; },
    get size() { return objects.size; },
    markSynced: () => { synced = true; },
    get: (ref) => objects.get(refKey(ref)),
    list: (options = {}) => candidates(options.namespace, options.labels)
      .filter((o) => (options.namespace === undefined || (o.metadata?.namespace ?? '') === options.namespace) && hasLabels(o, options.labels ?? {})),
    listByOwner: (uid) => pick(byOwner.get(uid)),
    all: () => [...objects.values()],
    upsert, remove, replace,
  };
}
