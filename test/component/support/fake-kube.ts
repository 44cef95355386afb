/* eslint-disable @typescript-eslint/require-await -- the fakes implement async ports synchronously */
// An in-memory Kubernetes for component tests: a KubeClient and informer-like caches over one
// store, a kubelet that runs applied pods, injectable conflicts and refused NodePorts.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceKind } from '../../../src/kube/kinds.ts';
import { KubeApiError } from '../../../src/kube/kube-api-error.ts';
import type { CacheReader, KubeClient, ObjectRef, StatusUpdate, StatusUpdateOutcome } from '../../../src/kube/port.ts';
import { updateStatusWithRetry } from '../../../src/kube/status-update.ts';

type Obj = KubernetesObject & { spec?: unknown; status?: unknown; data?: unknown };

const keyOf = (ns: string, name: string) => `${ns}/${name}`;
const clone = <T>(v: T): T => structuredClone(v);

function mergeInto(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (typeof v === 'object' && !Array.isArray(v) && typeof out[k] === 'object' && out[k] !== null && !Array.isArray(out[k])) out[k] = mergeInto(out[k] as Record<string, unknown>, v as Record<string, unknown>);
    else out[k] = clone(v);
  }
  return out;
}

export class FakeKube {
  readonly store = new Map<string, Map<string, Obj>>();
  readonly calls: string[] = [];
  /** Status patches to refuse with 409 (each refusal consumes one). */
  statusConflicts = 0;
  /** NodePorts already allocated elsewhere. */
  readonly takenNodePorts = new Set<number>();
  private rv = 1;
  private uid = 1;

  private bucket(kind: string): Map<string, Obj> {
    let b = this.store.get(kind);
    if (b === undefined) this.store.set(kind, (b = new Map<string, Obj>()));
    return b;
  }

  objects<T extends KubernetesObject>(kind: string): T[] {
    return [...this.bucket(kind).values()] as T[];
  }

  put(kind: string, object: Obj): Obj {
    const meta = object.metadata ?? {};
    const existing = this.bucket(kind).get(keyOf(meta.namespace ?? '', meta.name ?? ''));
    const stored: Obj = {
      ...object,
      metadata: { ...meta, uid: existing?.metadata?.uid ?? meta.uid ?? `uid-${this.uid++}`, resourceVersion: String(this.rv++), creationTimestamp: existing?.metadata?.creationTimestamp ?? meta.creationTimestamp ?? new Date(1_700_000_000_000 + this.uid) },
    };
    this.bucket(kind).set(keyOf(meta.namespace ?? '', meta.name ?? ''), stored);
    return stored;
  }

  cache<T extends KubernetesObject>(kind: string): CacheReader<T> {
    const objects = () => this.objects<T>(kind);
    return {
      synced: true,
      get: (ref) => clone(this.bucket(kind).get(keyOf(ref.namespace, ref.name)) as T | undefined),
      list: (opts) => objects().filter((o) => (opts?.namespace === undefined || o.metadata?.namespace === opts.namespace)
        && Object.entries(opts?.labels ?? {}).every(([k, v]) => o.metadata?.labels?.[k] === v)).map(clone),
      listByOwner: (uid) => objects().filter((o) => o.metadata?.ownerReferences?.some((r) => r.uid === uid)).map(clone),
    };
  }

  private refuse(status: number, reason: string, what: string, apiMessage?: string): never {
    throw new KubeApiError({ operation: 'fake', target: what, status, reason, ...(apiMessage === undefined ? {} : { apiMessage }) });
  }

  readonly client: KubeClient = {
    get: async <T extends KubernetesObject>(kind: ResourceKind<T>, ref: ObjectRef) => clone(this.bucket(kind.kind).get(keyOf(ref.namespace, ref.name)) as T | undefined),
    list: async <T extends KubernetesObject>(kind: ResourceKind<T>) => ({ items: this.objects<T>(kind.kind).map(clone), resourceVersion: String(this.rv) }),
    create: async <T extends KubernetesObject>(kind: ResourceKind<T>, object: T) => {
      this.calls.push(`create ${kind.kind} ${object.metadata?.name ?? ''}`);
      if (this.bucket(kind.kind).has(keyOf(object.metadata?.namespace ?? '', object.metadata?.name ?? ''))) this.refuse(409, 'AlreadyExists', object.metadata?.name ?? '');
      return clone(this.put(kind.kind, clone(object) as Obj)) as T;
    },
    replace: async <T extends KubernetesObject>(kind: ResourceKind<T>, object: T) => clone(this.put(kind.kind, clone(object) as Obj)) as T,
    apply: async <T extends KubernetesObject>(kind: ResourceKind<T>, object: T) => {
      this.calls.push(`apply ${kind.kind} ${object.metadata?.name ?? ''}`);
      const ports = (object as Obj & { spec?: { ports?: { nodePort?: number }[] } }).spec?.ports ?? [];
      if (kind.kind === 'Service' && ports.some((p) => p.nodePort !== undefined && this.takenNodePorts.has(p.nodePort))) {
        this.refuse(422, 'Invalid', object.metadata?.name ?? '', 'spec.ports[0].nodePort: Invalid value: provided port is already allocated');
      }
      const existing = this.bucket(kind.kind).get(keyOf(object.metadata?.namespace ?? '', object.metadata?.name ?? ''));
      const merged = existing === undefined ? clone(object) as Obj : { ...existing, ...clone(object) as Obj, metadata: { ...existing.metadata, ...object.metadata, labels: { ...existing.metadata?.labels, ...object.metadata?.labels }, annotations: { ...existing.metadata?.annotations, ...object.metadata?.annotations } }, status: existing.status };
      return clone(this.put(kind.kind, merged)) as T;
    },
    mergePatch: async <T extends KubernetesObject>(kind: ResourceKind<T>, ref: ObjectRef, patch: object) => {
      this.calls.push(`patch ${kind.kind} ${ref.name}`);
      const existing = this.bucket(kind.kind).get(keyOf(ref.namespace, ref.name));
      if (existing === undefined) this.refuse(404, 'NotFound', ref.name);
      return clone(this.put(kind.kind, mergeInto(existing as Record<string, unknown>, patch as Record<string, unknown>) as Obj)) as T;
    },
    updateStatus: async <T extends KubernetesObject, S>(kind: ResourceKind<T>, ref: ObjectRef, update: StatusUpdate<T, S>): Promise<StatusUpdateOutcome<T>> =>
      updateStatusWithRetry<T, S>({
        read: async () => clone(this.bucket(kind.kind).get(keyOf(ref.namespace, ref.name)) as T | undefined),
        patch: async (body) => {
          if (this.statusConflicts > 0) {
            this.statusConflicts--;
            this.refuse(409, 'Conflict', ref.name);
          }
          this.calls.push(`status ${ref.name}`);
          const existing = this.bucket(kind.kind).get(keyOf(ref.namespace, ref.name)) as Obj;
          const status = mergeInto((existing.status ?? {}) as Record<string, unknown>, (body as { status: Record<string, unknown> }).status);
          return clone(this.put(kind.kind, { ...existing, status })) as T;
        },
      }, update),
    delete: async (kind, ref) => {
      this.calls.push(`delete ${kind.kind} ${ref.name}`);
      return this.bucket(kind.kind).delete(keyOf(ref.namespace, ref.name)) ? 'deleted' : 'notFound';
    },
  };
}
