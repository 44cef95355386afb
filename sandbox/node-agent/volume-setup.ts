// Materialises a Pod's planned volumes as host paths: emptyDir directories, checked hostPaths,
// atomically written files volumes, and PVCs through the storage port. Errors are the kubelet's
// FailedMount messages; the Pod waits in ContainerCreating and the agent retries.
import { chmodSync, chownSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ApiClient } from './api-client.ts';
import { writeAtomicDir } from './atomic-dir.ts';
import type { PodFacts } from './field-ref.ts';
import type { StoragePort } from './ports.ts';
import { buildVolumeFiles, VolumeSetupError, type TokenCache } from './volume-files.ts';
import type { VolumePlan } from './volume-plan.ts';

export type VolumeDir = { readonly dir: string; readonly readOnly: boolean; readonly kind: 'dir' | 'file' };

export type VolumeContext = {
  readonly api: ApiClient;
  readonly storage: StoragePort;
  readonly facts: PodFacts;
  readonly podDir: string;
  readonly tokens: TokenCache;
  readonly fsGroup?: number;
};

function checkHostPath(path: string, type: string): 'dir' | 'file' {
  const exists = existsSync(path);
  switch (type) {
    case 'DirectoryOrCreate':
      if (!exists) mkdirSync(path, { recursive: true, mode: 0o755 });
      break;
    case 'FileOrCreate':
      if (!exists) {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, '', { mode: 0o644 });
      }
      break;
    case 'Directory':
      if (!exists || !statSync(path).isDirectory()) throw new VolumeSetupError(`hostPath type check failed: ${path} is not a directory`);
      break;
    case 'File':
      if (!exists || !statSync(path).isFile()) throw new VolumeSetupError(`hostPath type check failed: ${path} is not a file`);
      break;
    default:
      if (type !== '' && !exists) throw new VolumeSetupError(`hostPath type check failed: ${path} does not exist`);
  }
  return existsSync(path) && statSync(path).isFile() ? 'file' : 'dir';
}

async function pvcPath(ctx: VolumeContext, claimName: string): Promise<string> {
  const namespace = ctx.facts.pod.metadata?.namespace ?? 'default';
  const pvc = await ctx.api.request('GET', `/api/v1/namespaces/${namespace}/persistentvolumeclaims/${claimName}`, { allow404: true });
  if (pvc.status === 404) throw new VolumeSetupError(`persistentvolumeclaim "${claimName}" not found`);
  const claim = pvc.body as { spec?: { volumeName?: string }; status?: { phase?: string } };
  const pvName = claim.spec?.volumeName;
  if (claim.status?.phase !== 'Bound' || !pvName) throw new VolumeSetupError(`persistentvolumeclaim "${claimName}" is not bound yet`);
  const pv = await ctx.api.request('GET', `/api/v1/persistentvolumes/${pvName}`);
  const path = await ctx.storage.hostPathFor(pv.body);
  if (path === undefined) throw new VolumeSetupError(`persistentvolume "${pvName}" has no local or hostPath source this node can mount`);
  // A hostPath PV may ask for its directory to be made, as the kubelet does (2.0's static PVs do).
  const hostPathType = (pv.body as { spec?: { hostPath?: { type?: string } } }).spec?.hostPath?.type;
  if (!existsSync(path) && hostPathType === 'DirectoryOrCreate') mkdirSync(path, { recursive: true, mode: 0o755 });
  if (!existsSync(path)) throw new VolumeSetupError(`persistentvolume "${pvName}": path ${path} does not exist on this node`);
  return path;
}

function applyFsGroup(dir: string, gid: number | undefined): void {
  if (gid === undefined) return;
  chownSync(dir, statSync(dir).uid, gid);
  chmodSync(dir, statSync(dir).mode | 0o2070);
}

export async function setUpVolume(ctx: VolumeContext, plan: VolumePlan): Promise<VolumeDir> {
  switch (plan.kind) {
    case 'emptyDir': {
      const dir = join(ctx.podDir, 'volumes', 'empty-dir', plan.name);
      mkdirSync(dir, { recursive: true });
      chmodSync(dir, 0o777);
      return { dir, readOnly: false, kind: 'dir' };
    }
    case 'hostPath':
      return { dir: plan.path, readOnly: false, kind: checkHostPath(plan.path, plan.type) };
    case 'files': {
      const dir = join(ctx.podDir, 'volumes', 'files', plan.name);
      const files = await buildVolumeFiles({ api: ctx.api, facts: ctx.facts, tokens: ctx.tokens }, plan.sources, plan.defaultMode);
      writeAtomicDir(dir, files, ctx.fsGroup);
      return { dir, readOnly: true, kind: 'dir' };
    }
    case 'pvc': {
      const dir = await pvcPath(ctx, plan.claimName);
      applyFsGroup(dir, ctx.fsGroup);
      return { dir, readOnly: plan.readOnly, kind: 'dir' };
    }
  }
}

/** Sets up every volume; the first failure names its volume as the kubelet's FailedMount does. */
export async function setUpVolumes(ctx: VolumeContext, plans: readonly VolumePlan[]): Promise<Map<string, VolumeDir>> {
  const dirs = new Map<string, VolumeDir>();
  for (const plan of plans) {
    try {
      dirs.set(plan.name, await setUpVolume(ctx, plan));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new VolumeSetupError(`MountVolume.SetUp failed for volume "${plan.name}" : ${message}`, { cause: err });
    }
  }
  return dirs;
}
