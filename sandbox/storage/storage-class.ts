// The sandbox's default StorageClass and the names the provisioner answers to (reference §3.6).
import type { V1StorageClass } from '@kubernetes/client-node';

export const STORAGE_CLASS_NAME = 'sandbox-local';
export const PROVISIONER_NAME = 'sandbox.local/hostpath';

export const Annotations = {
  selectedNode: 'volume.kubernetes.io/selected-node',
  storageProvisioner: 'volume.kubernetes.io/storage-provisioner',
  betaStorageProvisioner: 'volume.beta.kubernetes.io/storage-provisioner',
  provisionedBy: 'pv.kubernetes.io/provisioned-by',
  defaultClass: 'storageclass.kubernetes.io/is-default-class',
} as const;

export function buildStorageClass(): V1StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: STORAGE_CLASS_NAME, annotations: { [Annotations.defaultClass]: 'true' } },
    provisioner: PROVISIONER_NAME,
    reclaimPolicy: 'Delete',
    // The scheduler picks the node first; the volume then lives on that node (local PV affinity).
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
  };
}
