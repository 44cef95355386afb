// A member's data and log PVCs and, in hostPath mode, their static PVs (seed-operator.md §3.4).
// PVCs and PVs have no owner reference: deleting the cluster keeps the data (2.0 behaviour).
// StorageClass mode does not pin volumeName (2.0's 2025 pin bound only the Helm chart's static PVs
// and broke dynamic provisioning: weakness 15). hostPath mode pre-binds each PVC and PV to each
// other (volumeName, claimRef) and sets storageClassName "" so a default StorageClass cannot take
// the claim. These objects are for creation: a bound PVC's spec is immutable except its size, which
// the reconciler patches (see pvcSize).
import type { V1PersistentVolume, V1PersistentVolumeClaim } from '@kubernetes/client-node';
import {
  APP_LABEL_VALUE, Label, hostPathPvName, podName, pvcName, volumeLabelValue, type IpNodeEntry, type VolumeKind,
} from '../api/v1/index.ts';
import { clusterObjectLabels, objectMeta, type SpecCluster } from './cluster.ts';

/** The requested size of a member's data (spec.storage) or log (spec.sidecarstorage) volume. */
export function pvcSize(cluster: SpecCluster, kind: VolumeKind): string {
  return kind === 'data' ? cluster.spec.storage : cluster.spec.sidecarstorage;
}

export function isHostPathMode(cluster: SpecCluster): boolean {
  return cluster.spec.hostpathroot !== '';
}

function pvcLabels(cluster: SpecCluster, member: IpNodeEntry, kind: VolumeKind): Record<string, string> {
  const name = cluster.metadata.name;
  return isHostPathMode(cluster)
    ? { ...clusterObjectLabels(cluster), [Label.PersistentVolume]: volumeLabelValue(name, member.ip, kind) }
    : { ...clusterObjectLabels(cluster), [Label.Pod]: podName(name, member.ip) };
}

export function buildPvc(cluster: SpecCluster, member: IpNodeEntry, kind: VolumeKind): V1PersistentVolumeClaim {
  const name = cluster.metadata.name;
  const binding = isHostPathMode(cluster)
    ? {
      storageClassName: '',
      volumeName: hostPathPvName(name, member.ip, kind),
      selector: { matchLabels: { [Label.PersistentVolume]: volumeLabelValue(name, member.ip, kind) } },
    }
    : { storageClassName: cluster.spec.storageclass };
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: objectMeta(cluster, pvcName(name, member.ip, kind), { owned: false, labels: pvcLabels(cluster, member, kind) }),
    spec: {
      accessModes: ['ReadWriteOnce'],
      ...binding,
      resources: { requests: { storage: pvcSize(cluster, kind) } },
    },
  };
}

/** `<hostpathroot>/<namespace>/<cluster>/<pod>/<data|log>`, 2.0's layout. */
export function hostPathVolumePath(cluster: SpecCluster, member: IpNodeEntry, kind: VolumeKind): string {
  const { name, namespace } = cluster.metadata;
  return `${cluster.spec.hostpathroot}/${namespace}/${name}/${podName(name, member.ip)}/${kind}`;
}

/**
 * The static PV of a hostPath-mode member: Retain, pinned to the member's node (a member without
 * nodename gets no node affinity, as in 2.0, and its data follows wherever the pod lands).
 */
export function buildHostPathPv(cluster: SpecCluster, member: IpNodeEntry, kind: VolumeKind): V1PersistentVolume {
  const name = cluster.metadata.name;
  const nodename = member.nodename ?? '';
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: hostPathPvName(name, member.ip, kind),
      labels: { [Label.App]: APP_LABEL_VALUE, [Label.Name]: name, [Label.PersistentVolume]: volumeLabelValue(name, member.ip, kind) },
    },
    spec: {
      capacity: { storage: pvcSize(cluster, kind) },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: '',
      volumeMode: 'Filesystem',
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: cluster.metadata.namespace, name: pvcName(name, member.ip, kind) },
      hostPath: { path: hostPathVolumePath(cluster, member, kind), type: 'DirectoryOrCreate' },
      ...(nodename === '' ? {} : {
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [nodename] }] }] } },
      }),
    },
  };
}
