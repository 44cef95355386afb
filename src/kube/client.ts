// KubeClient as plain REST calls on the operator's connection: paths from the kind descriptor (no
// discovery), JSON bodies as the objects are (TypeScript property names equal wire names for every
// kind the operator uses; codec.test.ts checks it), responses decoded by codec.ts. Every failure
// leaves as a KubeApiError; no response body reaches a message.
import type { KubernetesObject } from '@kubernetes/client-node';
import { decodeObject } from './codec.ts';
import type { KubeConnection } from './connection.ts';
import { apiVersionOf, collectionPath, kindLabel, objectPath, type ResourceKind } from './kinds.ts';
import { isNotFound } from './kube-api-error.ts';
import { createRest, type RestRequest } from './rest.ts';
import { updateStatusWithRetry } from './status-update.ts';
import {
  FIELD_MANAGER, type DeleteOptions, type DeleteOutcome, type KubeClient, type ListOptions, type ListResult,
  type ObjectRef, type StatusUpdate, type StatusUpdateOutcome,
} from './port.ts';

type AnyKind = ResourceKind<KubernetesObject>;

export type KubeClientOptions = {
  /** Page size for lists; the API server's continue token walks the rest. */
  readonly pageSize?: number;
  /** Attempts of an optimistic-lock status write before the 409 is thrown. */
  readonly statusAttempts?: number;
};

type RawList = { items?: unknown[]; metadata?: { resourceVersion?: string; continue?: string } };

const MERGE_PATCH = 'application/merge-patch+json';
/** Server-side apply takes YAML; JSON is YAML. */
const APPLY_PATCH = 'application/apply-patch+yaml';

function describe(kind: AnyKind, ref: ObjectRef | undefined): string {
  if (ref === undefined) return kindLabel(kind);
  return `${kindLabel(kind)} ${ref.namespace === '' ? '' : `${ref.namespace}/`}${ref.name}`;
}

/** A namespaced object given without a namespace goes to `default`, as with kubectl and client-node. */
function scoped(kind: AnyKind, ref: ObjectRef): ObjectRef {
  return kind.namespaced && ref.namespace === '' ? { ...ref, namespace: 'default' } : ref;
}

function refOf(object: KubernetesObject): ObjectRef {
  return { namespace: object.metadata?.namespace ?? '', name: object.metadata?.name ?? '' };
}

/** apiVersion and kind set from the descriptor: the API server requires them in bodies and SSA. */
function withType<T extends KubernetesObject>(kind: ResourceKind<T>, object: T): T {
  return { ...object, apiVersion: apiVersionOf(kind), kind: kind.kind };
}

export function createKubeClient(connection: KubeConnection, options: KubeClientOptions = {}): KubeClient {
  const rest = createRest(connection);
  const pageSize = options.pageSize ?? 500;

  async function call<T extends KubernetesObject>(kind: ResourceKind<T>, request: RestRequest): Promise<T> {
    return decodeObject(kind, await rest(request));
  }

  function onObject(kind: AnyKind, ref: ObjectRef, operation: string): Pick<RestRequest, 'path' | 'operation' | 'target'> {
    return { path: objectPath(kind, scoped(kind, ref)), operation, target: describe(kind, ref) };
  }

  async function get<T extends KubernetesObject>(kind: ResourceKind<T>, ref: ObjectRef): Promise<T | undefined> {
    try {
      return await call(kind, { method: 'GET', ...onObject(kind, ref, 'get') });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async function list<T extends KubernetesObject>(kind: ResourceKind<T>, opts: ListOptions = {}): Promise<ListResult<T>> {
    const items: T[] = [];
    let resourceVersion = '';
    let continueToken: string | undefined;
    do {
      const page = await rest({
        method: 'GET', path: collectionPath(kind, kind.namespaced ? opts.namespace : undefined), operation: 'list', target: describe(kind, undefined),
        query: { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, limit: pageSize, continue: continueToken },
      }) as RawList;
      // List items arrive without apiVersion and kind; caches and SSA want them.
      for (const item of page.items ?? []) items.push(withType(kind, decodeObject(kind, item)));
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken !== undefined);
    return { items, resourceVersion };
  }

  const create = <T extends KubernetesObject>(kind: ResourceKind<T>, object: T): Promise<T> => {
    const ref = scoped(kind, refOf(object));
    return call(kind, {
      method: 'POST', path: collectionPath(kind, kind.namespaced ? ref.namespace : undefined), body: withType(kind, object),
      operation: 'create', target: describe(kind, refOf(object)),
    });
  };

  const replace = <T extends KubernetesObject>(kind: ResourceKind<T>, object: T): Promise<T> =>
    call(kind, { method: 'PUT', ...onObject(kind, refOf(object), 'replace'), body: withType(kind, object) });

  const apply = <T extends KubernetesObject>(kind: ResourceKind<T>, object: T): Promise<T> => call(kind, {
    method: 'PATCH', ...onObject(kind, refOf(object), 'apply'), body: withType(kind, object),
    contentType: APPLY_PATCH, query: { fieldManager: FIELD_MANAGER, force: true },
  });

  const mergePatch = <T extends KubernetesObject>(kind: ResourceKind<T>, ref: ObjectRef, patch: object): Promise<T> => call(kind, {
    method: 'PATCH', ...onObject(kind, ref, 'patch'), body: patch, contentType: MERGE_PATCH, query: { fieldManager: FIELD_MANAGER },
  });

  function patchStatus<T extends KubernetesObject>(kind: ResourceKind<T>, ref: ObjectRef, body: object): Promise<T> {
    const target = onObject(kind, ref, 'patch status of');
    return call(kind, { method: 'PATCH', ...target, path: `${target.path}/status`, body, contentType: MERGE_PATCH, query: { fieldManager: FIELD_MANAGER } });
  }

  function updateStatus<T extends KubernetesObject, S>(kind: ResourceKind<T>, ref: ObjectRef, update: StatusUpdate<T, S>): Promise<StatusUpdateOutcome<T>> {
    return updateStatusWithRetry<T, S>({ read: () => get(kind, ref), patch: (body) => patchStatus(kind, ref, body) }, update, options.statusAttempts);
  }

  async function remove(kind: AnyKind, ref: ObjectRef, opts: DeleteOptions = {}): Promise<DeleteOutcome> {
    const body = {
      apiVersion: 'v1', kind: 'DeleteOptions',
      ...(opts.preconditions === undefined ? {} : { preconditions: { ...opts.preconditions } }),
      ...(opts.propagationPolicy === undefined ? {} : { propagationPolicy: opts.propagationPolicy }),
      ...(opts.gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds: opts.gracePeriodSeconds }),
    };
    try {
      await rest({ method: 'DELETE', ...onObject(kind, ref, 'delete'), body });
      return 'deleted';
    } catch (error) {
      if (isNotFound(error)) return 'notFound';
      throw error;
    }
  }

  return { get, list, create, replace, apply, mergePatch, updateStatus, delete: remove };
}
