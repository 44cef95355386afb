// Every object one cluster needs, built in one call: what the reconciler applies and what the
// README-sample and golden tests check as a whole. The shared ConfigMaps are not here: they are
// per namespace, created only when missing.
import type { V1ConfigMap, V1PersistentVolume, V1PersistentVolumeClaim, V1Pod, V1Secret, V1Service } from '@kubernetes/client-node';
import type { RoleLabelValue, VolumeKind } from '../api/v1/index.ts';
import type { SpecCluster } from './cluster.ts';
import { buildPod, type PodOptions } from './pod.ts';
import { buildScriptsConfigMap } from './scripts-configmap.ts';
import { buildInitSecret, type InitPassword } from './secret.ts';
import { buildReadService, buildWriteService } from './services.ts';
import { buildHostPathPv, buildPvc, isHostPathMode } from './volumes.ts';

export type ClusterObjects = {
  readonly pods: readonly V1Pod[];
  readonly pvcs: readonly V1PersistentVolumeClaim[];
  /** hostPath mode only. */
  readonly pvs: readonly V1PersistentVolume[];
  readonly services: readonly V1Service[];
  readonly secret: V1Secret;
  readonly scriptsConfigMap: V1ConfigMap;
};

export type ClusterObjectsInput = {
  readonly password: InitPassword;
  /** Per member IP: NEED_INIT and the role label; members not listed get needInit false, no role. */
  readonly members?: Readonly<Record<string, Pick<PodOptions, 'needInit' | 'role'>>>;
  readonly pod?: Omit<PodOptions, 'needInit' | 'role'>;
  readonly readServiceTarget?: RoleLabelValue;
};

const kinds: readonly VolumeKind[] = ['data', 'log'];

export function buildClusterObjects(cluster: SpecCluster, input: ClusterObjectsInput): ClusterObjects {
  const members = cluster.spec.iplist;
  return {
    pods: members.map((m) => buildPod(cluster, m, { ...input.pod, needInit: false, ...input.members?.[m.ip] })),
    pvcs: members.flatMap((m) => kinds.map((k) => buildPvc(cluster, m, k))),
    pvs: isHostPathMode(cluster) ? members.flatMap((m) => kinds.map((k) => buildHostPathPv(cluster, m, k))) : [],
    services: [buildWriteService(cluster), buildReadService(cluster, input.readServiceTarget)],
    secret: buildInitSecret(cluster, input.password),
    scriptsConfigMap: buildScriptsConfigMap(cluster),
  };
}
