// KubeClient on @kubernetes/client-node 2.x: the generic KubernetesObjectApi for the main
// resource (it finds the plural by discovery and caches it), CustomObjectsApi for the status
// subresource. Every failure leaves here as a KubeApiError; no response body reaches a message.
import {
  CustomObjectsApi, KubernetesObjectApi, PatchStrategy, setHeaderOptions,
  type KubeConfig, type KubernetesObject, type V1DeleteOptions,
} from '@kubernetes/client-node';
import { stripManagedFields } from './codec.ts';
import { apiVersionOf, kindLabel, type ResourceKind } from './kinds.ts';
import { toKubeApiError } from './kube-api-error.ts';
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

function describe(kind: AnyKind, ref: ObjectRef | undefined): string {
  if (ref === undefined) return kindLabel(kind);
  return `${kindLabel(kind)} ${ref.namespace === '' ? '' : `${ref.namespace}/`}${ref.name}`;
}

function header(kind: AnyKind, ref: ObjectRef): KubernetesObject & { metadata: { name: string; namespace?: string } } {
  const metadata = ref.namespace === '' ? { name: ref.name } : { name: ref.name, namespace: ref.namespace };
  return { apiVersion: apiVersionOf(kind), kind: kind.kind, metadata };
}

/** The patch with apiVersion, kind, name and namespace added; the patch's own metadata (labels,
 * annotations) is kept, not replaced by the identifying fields. */
export function withHeader(patch: object, head: ReturnType<typeof header>): object {
  const own = (patch as { metadata?: object }).metadata ?? {};
  return { ...patch, ...head, metadata: { ...own, ...head.metadata } };
}

function refOf(object: KubernetesObject): ObjectRef {
  return { namespace: object.metadata?.namespace ?? '', name: object.metadata?.name ?? '' };
}

function withType<T extends KubernetesObject>(kind: ResourceKind<T>, object: T): T {
  return { ...object, apiVersion: apiVersionOf(kind), kind: kind.kind };
}

async function mapped<R>(operation: string, target: string, call: () => Promise<R>): Promise<R> {
  try {
    return await call();
  } catch (error) {
    throw toKubeApiError(error, operation, target);
  }
}

export function createKubeClient(kc: KubeConfig, options: KubeClientOptions = {}): KubeClient {
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const pageSize = options.pageSize ?? 500;

  async function get<T extends KubernetesObject>(kind: ResourceKind<T>, ref: ObjectRef): Promise<T | undefined> {
    try {
      return stripManagedFields(await objects.read<T>(header(kind, ref)));
    } catch (error) {
      const mappedError = toKubeApiError(error, 'get', describe(kind, ref));
      if (mappedError.status === 404) return undefined;
      throw mappedError;
    }
  }

  async function list<T extends KubernetesObject>(kind: ResourceKind<T>, opts: ListOptions = {}): Promise<ListResult<T>> {
    const items: T[] = [];
    let resourceVersion = '';
    let continueToken: string | undefined;
    do {
      const page = await mapped('list', describe(kind, undefined), () => objects.list<T>(
        apiVersionOf(kind), kind.kind, kind.namespaced ? opts.namespace : undefined, undefined, undefined, undefined,
        opts.fieldSelector, opts.labelSelector, pageSize, continueToken));
      // Items of typed lists arrive without apiVersion and kind; caches and SSA want them.
      for (const item of page.items) items.push(stripManagedFields(withType(kind, item)));
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      continueToken = page.metadata?._continue || undefined;
    } while (continueToken !== undefined);
    return { items, resourceVersion };
  }

  const create = <T extends KubernetesObject>(kind: ResourceKind<T>, object: T): Promise<T> =>
    mapped('create', describe(kind, refOf(object)), async () => stripManagedFields(await objects.create(withType(kind, object))));

  const replace = <T extends KubernetesObject>(kind: ResourceKind<T>, object: T): Promise<T> =>
    mapped('replace', describe(kind, refOf(object)), async () => stripManagedFields(await objects.replace(withType(kind, object))));

  const apply = <T extends KubernetesObject>(kind: ResourceKind<T>, object: T): Promise<T> =>
    mapped('apply', describe(kind, refOf(object)), async () => stripManagedFields(
      await objects.patch(withType(kind, object), undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply)));

  const mergePatch = <T extends KubernetesObject>(kind: ResourceKind<T>, ref: ObjectRef, patch: object): Promise<T> =>
    mapped('patch', describe(kind, ref), async () => stripManagedFields(
      await objects.patch(withHeader(patch, header(kind, ref)) as T, undefined, undefined, FIELD_MANAGER, undefined, PatchStrategy.MergePatch)));

  function patchStatus<T extends KubernetesObject>(kind: ResourceKind<T>, ref: ObjectRef, body: object): Promise<T> {
    const request = { group: kind.group, version: kind.version, namespace: ref.namespace, plural: kind.plural, name: ref.name, body, fieldManager: FIELD_MANAGER };
    return mapped('patch status of', describe(kind, ref), async () => stripManagedFields(
      (await custom.patchNamespacedCustomObjectStatus(request, setHeaderOptions('Content-Type', PatchStrategy.MergePatch))) as T));
  }

  function updateStatus<T extends KubernetesObject, S>(kind: ResourceKind<T>, ref: ObjectRef, update: StatusUpdate<T, S>): Promise<StatusUpdateOutcome<T>> {
    return updateStatusWithRetry<T, S>({ read: () => get(kind, ref), patch: (body) => patchStatus(kind, ref, body) }, update, options.statusAttempts);
  }

  async function remove(kind: AnyKind, ref: ObjectRef, opts: DeleteOptions = {}): Promise<DeleteOutcome> {
    const body: V1DeleteOptions = opts.preconditions === undefined ? {} : { preconditions: { ...opts.preconditions } };
    try {
      await objects.delete(header(kind, ref), undefined, undefined, opts.gracePeriodSeconds, undefined, opts.propagationPolicy, body);
      return 'deleted';
    } catch (error) {
      const mappedError = toKubeApiError(error, 'delete', describe(kind, ref));
      if (mappedError.status === 404) return 'notFound';
      throw mappedError;
    }
  }

  return { get, list, create, replace, apply, mergePatch, updateStatus, delete: remove };
}
