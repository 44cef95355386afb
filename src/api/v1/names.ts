// Names of the objects the operator owns, exactly as 2.0 spells them: adopted clusters keep their
// pods, PVCs (which hold the data) and Services only if every name matches. <ipx> is the pod IP
// with dots replaced by x, as in og-ogtest-pod-172x16x0x2.
import { isIPv4 } from './ipv4.ts';

export type PodName = string & { readonly __brand: 'PodName' };

const POD_INFIX = '-pod-';

function ipx(ip: string): string {
  return ip.replaceAll('.', 'x');
}

export function podName(clusterName: string, ip: string): PodName {
  return `og-${clusterName}${POD_INFIX}${ipx(ip)}` as PodName;
}

/** The member IP a pod name encodes (text after the last -pod-), or undefined for other names. */
export function ipFromPodName(name: string): string | undefined {
  const at = name.lastIndexOf(POD_INFIX);
  if (at < 0) return undefined;
  const ip = name.slice(at + POD_INFIX.length).replaceAll('x', '.');
  return isIPv4(ip) ? ip : undefined;
}

export type VolumeKind = 'data' | 'log';

/** Data or log PVC of a member. PVCs have no owner, so they outlive the cluster (2.0 behaviour). */
export function pvcName(clusterName: string, ip: string, kind: VolumeKind): string {
  return `${podName(clusterName, ip)}-${kind}-pvc`;
}

/** hostPath PV of a member (hostpathroot mode); reclaim policy Retain. */
export function hostPathPvName(clusterName: string, ip: string, kind: VolumeKind): string {
  return `${podName(clusterName, ip)}-${kind}-pv`;
}

/** Value of the `pv` label binding a hostPath PVC to its PV. */
export function volumeLabelValue(clusterName: string, ip: string, kind: VolumeKind): string {
  return `${podName(clusterName, ip)}-${kind}`;
}

/** NodePort Service selecting the primary. */
export function writeServiceName(clusterName: string): string {
  return `og-${clusterName}-svc`;
}

/** NodePort Service selecting the standbys. */
export function readServiceName(clusterName: string): string {
  return `og-${clusterName}-svc-read`;
}

/** Secret with INIT_PASSWD and DBPAASOP_PASSWD. */
export function initSecretName(clusterName: string): string {
  return `${clusterName}-init-sc`;
}

/** ConfigMap with the in-pod scripts and the baseline postgres-cm.conf. */
export function scriptsConfigMapName(clusterName: string): string {
  return `og-${clusterName}-cm`;
}

/** ConfigMaps of operator 1.0 that the upgrade path deletes. */
export function legacyConfigMapNames(clusterName: string): readonly string[] {
  return ['db', 'log', 'sh', 'init'].map((part) => `${clusterName}-${part}-cm`);
}
