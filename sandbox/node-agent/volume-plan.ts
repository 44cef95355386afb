// Which volumes a Pod needs and where each container sees them. Pure: the shell materialises
// each planned volume into a host directory, then binds `source` at `mountPath` inside the
// container's own mount namespace. An unsupported volume type is a mount failure the kubelet
// would report (the Pod stays ContainerCreating with a FailedMount event).
import type { V1Container, V1Volume, V1VolumeProjection, V1KeyToPath, V1DownwardAPIVolumeFile } from '@kubernetes/client-node';
import { join, posix } from 'node:path';

export type FileSource =
  | { readonly kind: 'configMap' | 'secret'; readonly name: string; readonly items?: readonly V1KeyToPath[]; readonly optional: boolean }
  | { readonly kind: 'downwardAPI'; readonly items: readonly V1DownwardAPIVolumeFile[] }
  | { readonly kind: 'serviceAccountToken'; readonly path: string; readonly audience?: string; readonly expirationSeconds: number };

export type VolumePlan =
  | { readonly kind: 'emptyDir'; readonly name: string }
  | { readonly kind: 'hostPath'; readonly name: string; readonly path: string; readonly type: string }
  | { readonly kind: 'files'; readonly name: string; readonly sources: readonly FileSource[]; readonly defaultMode: number }
  | { readonly kind: 'pvc'; readonly name: string; readonly claimName: string; readonly readOnly: boolean };

export type VolumePlanResult = { readonly ok: true; readonly volumes: readonly VolumePlan[] } | { readonly ok: false; readonly message: string };

function projection(source: V1VolumeProjection): FileSource | undefined {
  if (source.configMap) return { kind: 'configMap', name: source.configMap.name ?? '', optional: source.configMap.optional === true, ...(source.configMap.items ? { items: source.configMap.items } : {}) };
  if (source.secret) return { kind: 'secret', name: source.secret.name ?? '', optional: source.secret.optional === true, ...(source.secret.items ? { items: source.secret.items } : {}) };
  if (source.downwardAPI) return { kind: 'downwardAPI', items: source.downwardAPI.items ?? [] };
  if (source.serviceAccountToken) {
    const t = source.serviceAccountToken;
    return { kind: 'serviceAccountToken', path: t.path, expirationSeconds: t.expirationSeconds ?? 3607, ...(t.audience ? { audience: t.audience } : {}) };
  }
  return undefined;
}

function planVolume(v: V1Volume): VolumePlan | string {
  if (v.emptyDir) return { kind: 'emptyDir', name: v.name };
  if (v.hostPath) return { kind: 'hostPath', name: v.name, path: v.hostPath.path, type: v.hostPath.type ?? '' };
  if (v.configMap) {
    const c = v.configMap;
    return { kind: 'files', name: v.name, defaultMode: c.defaultMode ?? 0o644, sources: [{ kind: 'configMap', name: c.name ?? '', optional: c.optional === true, ...(c.items ? { items: c.items } : {}) }] };
  }
  if (v.secret) {
    const s = v.secret;
    return { kind: 'files', name: v.name, defaultMode: s.defaultMode ?? 0o644, sources: [{ kind: 'secret', name: s.secretName ?? '', optional: s.optional === true, ...(s.items ? { items: s.items } : {}) }] };
  }
  if (v.downwardAPI) return { kind: 'files', name: v.name, defaultMode: v.downwardAPI.defaultMode ?? 0o644, sources: [{ kind: 'downwardAPI', items: v.downwardAPI.items ?? [] }] };
  if (v.projected) {
    const sources = (v.projected.sources ?? []).map(projection);
    if (sources.some((s) => s === undefined)) return `volume "${v.name}": projected source type not supported by the sandbox (configMap, secret, downwardAPI and serviceAccountToken are)`;
    return { kind: 'files', name: v.name, defaultMode: v.projected.defaultMode ?? 0o644, sources: sources as FileSource[] };
  }
  if (v.persistentVolumeClaim) return { kind: 'pvc', name: v.name, claimName: v.persistentVolumeClaim.claimName, readOnly: v.persistentVolumeClaim.readOnly === true };
  const type = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
  return `volume "${v.name}": volume type ${type} is not supported by the sandbox (emptyDir, hostPath, configMap, secret, downwardAPI, projected, persistentVolumeClaim are)`;
}

export function planVolumes(volumes: readonly V1Volume[] | undefined): VolumePlanResult {
  const planned: VolumePlan[] = [];
  for (const v of volumes ?? []) {
    const plan = planVolume(v);
    if (typeof plan === 'string') return { ok: false, message: plan };
    planned.push(plan);
  }
  return { ok: true, volumes: planned };
}

export type MountPlan = { readonly source: string; readonly target: string; readonly readOnly: boolean };

export type MountPlanResult = { readonly ok: true; readonly mounts: readonly MountPlan[] } | { readonly ok: false; readonly message: string };

/**
 * Bind mounts for one container, parents before children so nested mountPaths work.
 * `volumeDirs` maps a volume name to its host directory; read-only is forced for files volumes.
 */
export function planMounts(container: V1Container, volumeDirs: ReadonlyMap<string, { dir: string; readOnly: boolean }>): MountPlanResult {
  const mounts: MountPlan[] = [];
  for (const m of container.volumeMounts ?? []) {
    const volume = volumeDirs.get(m.name);
    if (volume === undefined) return { ok: false, message: `container "${container.name}" mounts volume "${m.name}", which the pod does not declare` };
    if (!posix.isAbsolute(m.mountPath)) return { ok: false, message: `container "${container.name}": mountPath ${m.mountPath} must be absolute` };
    const subPath = m.subPath ?? '';
    if (subPath.split('/').includes('..') || posix.isAbsolute(subPath)) return { ok: false, message: `container "${container.name}": subPath ${subPath} must be a relative path inside the volume` };
    mounts.push({ source: subPath === '' ? volume.dir : join(volume.dir, subPath), target: posix.normalize(m.mountPath), readOnly: m.readOnly === true || volume.readOnly });
  }
  mounts.sort((a, b) => a.target.split('/').length - b.target.split('/').length);
  return { ok: true, mounts };
}
