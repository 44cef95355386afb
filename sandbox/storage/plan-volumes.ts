// What the provisioner should do, given every PVC and PV (pure, level-triggered): provision
// claims the scheduler placed, delete Released volumes of ours, grow volumes whose claim asks
// for more. The shell runs the actions; each is idempotent, so a crash midway is retried.
import type { V1PersistentVolume, V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { formatBytes, parseQuantityBytes } from './quantity.ts';
import { resolvePersistentVolumePath, volumeNameFor } from './persistent-volume.ts';
import { Annotations, PROVISIONER_NAME, STORAGE_CLASS_NAME } from './storage-class.ts';

/** Volumes smaller than this are rounded up: ext4 and its journal need room. */
export const MIN_VOLUME_BYTES = 16 * 2 ** 20;
const MiB = 2 ** 20;

export type ClaimKey = { readonly namespace: string; readonly name: string; readonly uid: string };

export type VolumeAction =
  | { readonly kind: 'provision'; readonly claim: ClaimKey; readonly pvc: V1PersistentVolumeClaim; readonly volumeName: string;
      readonly node: string; readonly sizeBytes: number; readonly capacity: string }
  | { readonly kind: 'delete'; readonly volumeName: string }
  | { readonly kind: 'expand'; readonly claim: ClaimKey; readonly volumeName: string; readonly sizeBytes: number; readonly capacity: string;
      /** False when the PV already has the new size and only the claim's status is behind (a resumed expansion). */
      readonly growVolume: boolean }
  | { readonly kind: 'skip'; readonly subject: string; readonly reason: string };

export type PlanOptions = {
  /** Only volumes of this node (an agent-embedded provisioner); undefined: every node. */
  readonly nodeName?: string;
};

export function planVolumes(pvcs: readonly V1PersistentVolumeClaim[], pvs: readonly V1PersistentVolume[], options: PlanOptions = {}): VolumeAction[] {
  const pvByName = new Map(pvs.map((pv) => [pv.metadata?.name ?? '', pv]));
  const pvcByUid = new Map(pvcs.map((pvc) => [pvc.metadata?.uid ?? '', pvc]));
  const actions: VolumeAction[] = [];
  for (const pvc of pvcs) {
    const action = planClaim(pvc, pvByName, options);
    if (action !== undefined) actions.push(action);
  }
  for (const pv of pvs) {
    if (!isOurs(pv) || !onNode(pv, options)) continue;
    const action = planVolume(pv, pvcByUid);
    if (action !== undefined) actions.push(action);
  }
  return actions;
}

function planClaim(pvc: V1PersistentVolumeClaim, pvByName: ReadonlyMap<string, V1PersistentVolume>, options: PlanOptions): VolumeAction | undefined {
  const annotations = pvc.metadata?.annotations ?? {};
  const node = annotations[Annotations.selectedNode];
  if (node === undefined || !wantsUs(pvc) || pvc.metadata?.deletionTimestamp !== undefined) return undefined;
  if ((pvc.spec?.volumeName ?? '') !== '' || pvByName.has(volumeNameFor(pvc))) return undefined;
  if (options.nodeName !== undefined && node !== options.nodeName) return undefined;
  const subject = `PersistentVolumeClaim ${pvc.metadata?.namespace ?? ''}/${pvc.metadata?.name ?? ''}`;
  if (pvc.spec?.volumeMode === 'Block') return { kind: 'skip', subject, reason: 'volumeMode Block is not supported by the sandbox provisioner' };
  const request = pvc.spec?.resources?.requests?.['storage'];
  const requested = request === undefined ? undefined : parseQuantityBytes(request);
  if (request === undefined || requested === undefined) return { kind: 'skip', subject, reason: `storage request ${JSON.stringify(request)} is not a size` };
  const sizeBytes = roundSize(requested);
  return { kind: 'provision', claim: claimKey(pvc), pvc, volumeName: volumeNameFor(pvc), node, sizeBytes, capacity: sizeBytes === requested ? request : formatBytes(sizeBytes) };
}

function planVolume(pv: V1PersistentVolume, pvcByUid: ReadonlyMap<string, V1PersistentVolumeClaim>): VolumeAction | undefined {
  const volumeName = pv.metadata?.name ?? '';
  const phase = pv.status?.phase;
  if ((phase === 'Released' || phase === 'Failed') && pv.spec?.persistentVolumeReclaimPolicy === 'Delete') return { kind: 'delete', volumeName };
  if (phase !== 'Bound') return undefined;
  const pvc = pvcByUid.get(pv.spec?.claimRef?.uid ?? '');
  if (pvc === undefined || pvc.metadata?.deletionTimestamp !== undefined) return undefined;
  const pvBytes = parseQuantityBytes(pv.spec?.capacity?.['storage'] ?? '') ?? 0;
  const request = pvc.spec?.resources?.requests?.['storage'] ?? '';
  const requested = parseQuantityBytes(request) ?? 0;
  if (requested > pvBytes) {
    const sizeBytes = roundSize(requested);
    return { kind: 'expand', claim: claimKey(pvc), volumeName, sizeBytes, capacity: sizeBytes === requested ? request : formatBytes(sizeBytes), growVolume: true };
  }
  const claimBytes = parseQuantityBytes(pvc.status?.capacity?.['storage'] ?? '') ?? 0;
  const resizing = (pvc.status?.conditions ?? []).some((c) => c.type === 'Resizing' || c.type === 'FileSystemResizePending');
  if (claimBytes > 0 && (claimBytes < pvBytes || resizing)) {
    return { kind: 'expand', claim: claimKey(pvc), volumeName, sizeBytes: pvBytes, capacity: pv.spec?.capacity?.['storage'] ?? formatBytes(pvBytes), growVolume: false };
  }
  return undefined;
}

// The PV controller sets the storage-provisioner annotation once the claim waits for us; the
// class name is accepted too so a claim is served even if that annotation is late.
function wantsUs(pvc: V1PersistentVolumeClaim): boolean {
  const annotations = pvc.metadata?.annotations ?? {};
  const named = annotations[Annotations.storageProvisioner] ?? annotations[Annotations.betaStorageProvisioner];
  return named === PROVISIONER_NAME || (named === undefined && pvc.spec?.storageClassName === STORAGE_CLASS_NAME);
}

function isOurs(pv: V1PersistentVolume): boolean {
  return pv.metadata?.annotations?.[Annotations.provisionedBy] === PROVISIONER_NAME;
}

function onNode(pv: V1PersistentVolume, options: PlanOptions): boolean {
  if (options.nodeName === undefined) return true;
  const resolved = resolvePersistentVolumePath(pv);
  return resolved.ok && resolved.nodes?.includes(options.nodeName) === true;
}

function roundSize(bytes: number): number {
  return Math.max(MIN_VOLUME_BYTES, Math.ceil(bytes / MiB) * MiB);
}

function claimKey(pvc: V1PersistentVolumeClaim): ClaimKey {
  return { namespace: pvc.metadata?.namespace ?? '', name: pvc.metadata?.name ?? '', uid: pvc.metadata?.uid ?? '' };
}
