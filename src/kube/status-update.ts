// The optimistic-lock status write, apart from HTTP so it can be tested with a fake: read
// fresh, compute, skip when equal, merge patch carrying the read resourceVersion, retry a
// bounded number of times when the server answers 409 because someone wrote in between.
import type { KubernetesObject } from '@kubernetes/client-node';
import { isConflict } from './kube-api-error.ts';
import { createMergePatch } from './merge-patch.ts';
import type { StatusUpdate, StatusUpdateOutcome } from './port.ts';

export type StatusIo<T> = {
  read(): Promise<T | undefined>;
  /** Sends a merge patch to the status subresource. */
  patch(body: object): Promise<T>;
};

export const defaultStatusAttempts = 4;

type WithStatus<S> = { status?: S };

export async function updateStatusWithRetry<T extends KubernetesObject, S>(
  io: StatusIo<T>, update: StatusUpdate<T, S>, maxAttempts = defaultStatusAttempts,
): Promise<StatusUpdateOutcome<T>> {
  for (let attempt = 1; ; attempt++) {
    const object = await io.read();
    if (object === undefined) return { kind: 'notFound' };
    const current = (object as WithStatus<S>).status;
    const desired = update(object, current);
    const diff = desired === undefined ? undefined : createMergePatch(current ?? {}, desired);
    if (diff === undefined) return { kind: 'unchanged', object };
    // resourceVersion in the body turns the merge patch into a compare-and-swap (409 on change).
    const body = { metadata: { resourceVersion: object.metadata?.resourceVersion }, status: diff };
    try {
      return { kind: 'patched', object: await io.patch(body), attempts: attempt };
    } catch (error) {
      if (!isConflict(error) || attempt >= maxAttempts) throw error;
    }
  }
}
