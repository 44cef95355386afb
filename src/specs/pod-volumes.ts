// The pod's volumes and each container's mounts (seed-operator.md §3.3): data and log PVCs,
// hostPath backup and archive directories, the sharedir emptyDir and the three ConfigMaps.
// Deliberate difference: initenv mounts the log PVC with subPath `log` like og does (2.0 mounted the
// PVC root there), so every path means the same in every container; the root init container that
// prepares ownership is the one that sees the PVC roots.
import type { V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { podName, pvcName, scriptsConfigMapName, type IpNodeEntry } from '../api/v1/index.ts';
import type { SpecCluster } from './cluster.ts';
import { OgPaths } from './paths.ts';

export const VolumeName = {
  Data: 'ogdata',
  Log: 'oglog',
  Backup: 'ogbackup',
  Archive: 'archive',
  Sharedir: 'sharedir',
  Scripts: 'og-cm',
  JobScripts: 'scriptconfig',
  Filebeat: 'filebeatconfig',
} as const;

const SCRIPT_MODE = 0o755;
const CONFIG_MODE = 0o644;

/** `<root>/<namespace>/<cluster>` (backup) or `…/<pod>` (archive), as 2.0 lays out its hostPaths. */
export function backupHostPath(cluster: SpecCluster): string {
  return `${cluster.spec.backuppath}/${cluster.metadata.namespace}/${cluster.metadata.name}`;
}

export function archiveHostPath(cluster: SpecCluster, member: IpNodeEntry): string {
  return `${cluster.spec.archivelogpath}/${cluster.metadata.namespace}/${cluster.metadata.name}/${podName(cluster.metadata.name, member.ip)}`;
}

export function buildPodVolumes(cluster: SpecCluster, member: IpNodeEntry): V1Volume[] {
  const name = cluster.metadata.name;
  return [
    { name: VolumeName.Data, persistentVolumeClaim: { claimName: pvcName(name, member.ip, 'data') } },
    { name: VolumeName.Log, persistentVolumeClaim: { claimName: pvcName(name, member.ip, 'log') } },
    { name: VolumeName.Backup, hostPath: { path: backupHostPath(cluster), type: 'DirectoryOrCreate' } },
    { name: VolumeName.Archive, hostPath: { path: archiveHostPath(cluster, member), type: 'DirectoryOrCreate' } },
    { name: VolumeName.Sharedir, emptyDir: {} },
    { name: VolumeName.Scripts, configMap: { name: scriptsConfigMapName(name), defaultMode: SCRIPT_MODE } },
    // The shared ConfigMaps are optional: a deleted shared ConfigMap must not keep a member down.
    { name: VolumeName.JobScripts, configMap: { name: cluster.spec.scriptconfig, defaultMode: SCRIPT_MODE, optional: true } },
    { name: VolumeName.Filebeat, configMap: { name: cluster.spec.filebeatconfig, defaultMode: CONFIG_MODE, optional: true } },
  ];
}

const dataMount: V1VolumeMount = { name: VolumeName.Data, mountPath: OgPaths.dataMount, subPath: OgPaths.dataSubPath };
const logMount: V1VolumeMount = { name: VolumeName.Log, mountPath: OgPaths.logMount, subPath: OgPaths.logSubPath };
const scriptsMount: V1VolumeMount = { name: VolumeName.Scripts, mountPath: OgPaths.scripts, readOnly: true };
const jobScriptsMount: V1VolumeMount = { name: VolumeName.JobScripts, mountPath: OgPaths.jobScripts, readOnly: true };

/** The root init container sees each writable volume's root to create and chown the subPaths. */
export function permissionsMounts(): V1VolumeMount[] {
  const root = OgPaths.permissionsRoot;
  return [
    { name: VolumeName.Data, mountPath: `${root}/data` },
    { name: VolumeName.Log, mountPath: `${root}/log` },
    { name: VolumeName.Backup, mountPath: `${root}/backup` },
    { name: VolumeName.Archive, mountPath: `${root}/archive` },
    scriptsMount,
  ];
}

export function initEnvMounts(): V1VolumeMount[] {
  return [dataMount, logMount, { name: VolumeName.Sharedir, mountPath: OgPaths.initSharedir }, scriptsMount];
}

export function ogMounts(): V1VolumeMount[] {
  return [
    dataMount,
    logMount,
    { name: VolumeName.Backup, mountPath: OgPaths.backup },
    { name: VolumeName.Archive, mountPath: OgPaths.archive },
    { name: VolumeName.Sharedir, mountPath: OgPaths.sharedir },
    scriptsMount,
    jobScriptsMount,
  ];
}

export function sidecarMounts(): V1VolumeMount[] {
  return [
    logMount,
    { name: VolumeName.Sharedir, mountPath: OgPaths.sharedir },
    scriptsMount,
    jobScriptsMount,
    { name: VolumeName.Filebeat, mountPath: OgPaths.filebeat, readOnly: true },
  ];
}
