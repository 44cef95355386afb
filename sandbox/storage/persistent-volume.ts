// PV objects of the sandbox provisioner (pure), and the path lookup the node agent uses to
// mount any PV a Pod's claim is bound to, ours or a static hostPath one.
import type { V1PersistentVolume, V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { Annotations, PROVISIONER_NAME, STORAGE_CLASS_NAME } from './storage-class.ts';

const hostnameLabel = 'kubernetes.io/hostname';

/** The PV name for a claim, as external provisioners name them: `pvc-<claim uid>`. */
export function volumeNameFor(pvc: V1PersistentVolumeClaim): string {
  return `pvc-${pvc.metadata?.uid ?? ''}`;
}

export type VolumeSpec = { readonly node: string; readonly path: string; readonly capacity: string };

export function buildPersistentVolume(pvc: V1PersistentVolumeClaim, volume: VolumeSpec): V1PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: volumeNameFor(pvc), annotations: { [Annotations.provisionedBy]: PROVISIONER_NAME } },
    spec: {
      capacity: { storage: volume.capacity },
      accessModes: pvc.spec?.accessModes ?? ['ReadWriteOnce'],
      volumeMode: 'Filesystem',
      storageClassName: pvc.spec?.storageClassName ?? STORAGE_CLASS_NAME,
      persistentVolumeReclaimPolicy: 'Delete',
      // Pre-bound to the claim, so the binder cannot hand this volume to another claim.
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: pvc.metadata?.namespace ?? '', name: pvc.metadata?.name ?? '', uid: pvc.metadata?.uid ?? '' },
      local: { path: volume.path },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: hostnameLabel, operator: 'In', values: [volume.node] }] }] } },
    },
  };
}

export type VolumePath =
  | { readonly ok: true; readonly kind: 'local' | 'hostPath'; readonly path: string; readonly nodes: readonly string[] | undefined }
  | { readonly ok: false; readonly reason: string };

/**
 * Where the agent finds a PV's data on this machine. `local` (ours) and `hostPath` (static PVs
 * as openGauss-operator 2.0 creates them) are plain paths; `nodes` lists the hostnames the PV's
 * node affinity allows (undefined: any node), so the agent can refuse a Pod placed elsewhere.
 */
export function resolvePersistentVolumePath(pv: V1PersistentVolume): VolumePath {
  const name = pv.metadata?.name ?? '';
  const nodes = affinityHostnames(pv);
  if (pv.spec?.local?.path !== undefined) return { ok: true, kind: 'local', path: pv.spec.local.path, nodes };
  if (pv.spec?.hostPath?.path !== undefined) return { ok: true, kind: 'hostPath', path: pv.spec.hostPath.path, nodes };
  return { ok: false, reason: `PersistentVolume ${name} is neither local nor hostPath; the sandbox can only mount those` };
}

function affinityHostnames(pv: V1PersistentVolume): string[] | undefined {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  if (terms === undefined) return undefined;
  const names = terms.flatMap((term) => (term.matchExpressions ?? [])
    .filter((e) => e.key === hostnameLabel && e.operator === 'In')
    .flatMap((e) => e.values ?? []));
  return names.length > 0 ? [...new Set(names)] : undefined;
}
