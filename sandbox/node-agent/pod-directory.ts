// How the kubelet API finds a running container from a request's namespace, pod and container.
import type { PodWorker } from './pod-worker.ts';
import type { Slot } from './container-slot.ts';
import type { PodRef } from './kubelet-requests.ts';

export type PodDirectory = { find(namespace: string, name: string): PodWorker | undefined };

export type Located = { readonly ok: true; readonly worker: PodWorker; readonly slot: Slot } | { readonly ok: false; readonly status: number; readonly message: string };

export function locateContainer(pods: PodDirectory, ref: PodRef): Located {
  const worker = pods.find(ref.namespace, ref.pod);
  if (worker === undefined || (ref.uid !== undefined && worker.uid !== ref.uid)) {
    return { ok: false, status: 404, message: `pod ${ref.namespace}/${ref.pod} not found on this node` };
  }
  const slot = worker.findSlot(ref.container);
  if (slot === undefined) return { ok: false, status: 404, message: `container "${ref.container}" not found in pod ${ref.namespace}/${ref.pod}` };
  return { ok: true, worker, slot };
}
