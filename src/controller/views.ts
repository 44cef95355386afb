// Kubernetes objects → the small views the core observes (src/reconcile/types.ts).
import type { V1PersistentVolumeClaim, V1Pod, V1Service } from '@kubernetes/client-node';
import { Label } from '../api/v1/index.ts';
import type { PodView, PvcView, ServiceView } from '../reconcile/types.ts';

function waitingReason(pod: V1Pod): string | undefined {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return statuses.map((s) => s.state?.waiting?.reason).find((r) => r !== undefined && r !== '');
}

export function podView(pod: V1Pod): PodView {
  const meta = pod.metadata ?? {};
  const status = pod.status ?? {};
  return {
    name: meta.name ?? '',
    uid: meta.uid ?? '',
    phase: status.phase ?? 'Pending',
    podIp: status.podIP,
    node: pod.spec?.nodeName,
    ready: podReady(pod),
    deleting: meta.deletionTimestamp !== undefined,
    labels: meta.labels ?? {},
    annotations: meta.annotations ?? {},
    image: pod.spec?.containers.find((c) => c.name === 'og')?.image,
    ogContainerId: ogContainerId(pod),
    waitingReason: waitingReason(pod),
  };
}

function ogContainerId(pod: V1Pod): string | undefined {
  return pod.status?.containerStatuses?.find((s) => s.name === 'og')?.containerID;
}

/** Whether the og container runs, so an exec can reach it. */
export function ogRunning(pod: V1Pod): boolean {
  return pod.status?.containerStatuses?.some((s) => s.name === 'og' && s.state?.running !== undefined) ?? false;
}

export function pvcView(pvc: V1PersistentVolumeClaim): PvcView {
  const requested = pvc.spec?.resources?.requests?.['storage'];
  return { name: pvc.metadata?.name ?? '', size: requested === undefined ? undefined : String(requested), phase: pvc.status?.phase };
}

export function serviceView(service: V1Service | undefined): ServiceView | undefined {
  if (service === undefined) return undefined;
  const port = service.spec?.ports?.[0];
  return { selectorRole: service.spec?.selector?.[Label.Role], nodePort: port?.nodePort, port: port?.port };
}

/**
 * Which run of the og container a probe belongs to: a new pod or a restarted container makes
 * earlier probes of the member untrustworthy.
 */
export function podIncarnation(pod: V1Pod): string {
  const og = pod.status?.containerStatuses?.find((s) => s.name === 'og');
  const started = og?.state?.running?.startedAt;
  return [pod.metadata?.uid, og?.restartCount, started === undefined ? '' : String(started)].join('/');
}

export function podReady(pod: V1Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}
