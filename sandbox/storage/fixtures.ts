// Test fixture builders for claims and volumes as the provisioner's watches deliver them.
import type { V1PersistentVolume, V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { buildPersistentVolume } from './persistent-volume.ts';

export type ClaimFixture = { uid?: string; name?: string; node?: string; request?: string; className?: string; provisioner?: string;
  volumeName?: string; phase?: string; capacity?: string; conditions?: string[]; deleting?: boolean; block?: boolean };

export function aClaim(f: ClaimFixture = {}): V1PersistentVolumeClaim {
  const annotations: Record<string, string> = {};
  if (f.node !== undefined) annotations['volume.kubernetes.io/selected-node'] = f.node;
  if (f.provisioner !== undefined) annotations['volume.kubernetes.io/storage-provisioner'] = f.provisioner;
  return {
    metadata: { name: f.name ?? 'data', namespace: 'ns', uid: f.uid ?? 'u1', annotations, ...(f.deleting === true ? { deletionTimestamp: new Date(0) } : {}) },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: f.className ?? 'sandbox-local', resources: { requests: { storage: f.request ?? '1Gi' } },
      ...(f.volumeName === undefined ? {} : { volumeName: f.volumeName }), ...(f.block === true ? { volumeMode: 'Block' } : {}) },
    status: { phase: f.phase ?? 'Pending', ...(f.capacity === undefined ? {} : { capacity: { storage: f.capacity } }),
      ...(f.conditions === undefined ? {} : { conditions: f.conditions.map((type) => ({ type, status: 'True' })) }) },
  };
}

export function aVolume(claim: V1PersistentVolumeClaim, f: { node?: string; capacity?: string; phase?: string; ours?: boolean; policy?: string } = {}): V1PersistentVolume {
  const pv = buildPersistentVolume(claim, { node: f.node ?? 'node-1', path: '/s/volumes/mnt/x', capacity: f.capacity ?? '1Gi' });
  return {
    ...pv,
    metadata: { ...pv.metadata, ...(f.ours === false ? { annotations: {} } : {}) },
    spec: { ...pv.spec, persistentVolumeReclaimPolicy: f.policy ?? 'Delete' },
    status: { phase: f.phase ?? 'Bound' },
  };
}
