// Everything that must succeed before a container's process can start: a known image, its
// ConfigMaps and Secrets, its mounts and a command. Each failure is the waiting reason the
// kubelet would show (ErrImagePull, CreateContainerConfigError, CreateContainerError).
import { chmod, chown, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { orderMounts, planImageMounts, type ImageDirectory } from './image-mounts.ts';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { AgentContext } from './agent-context.ts';
import { fetchSources } from './config-sources.ts';
import { listEnvSources, resolveEnv } from './env-resolution.ts';
import { buildProcessPlan, type ProcessPlan } from './process-plan.ts';
import { planMounts } from './volume-plan.ts';
import type { VolumeDir } from './volume-setup.ts';

export type Prepared =
  | { readonly ok: true; readonly plan: ProcessPlan; readonly imageId: string; readonly sourceKinds: ReadonlyMap<string, 'dir' | 'file'> }
  | { readonly ok: false; readonly reason: 'ErrImagePull' | 'CreateContainerConfigError' | 'CreateContainerError'; readonly message: string };

export function baseEnv(ctx: AgentContext): Map<string, string> {
  const { host, port } = ctx.apiServer;
  return new Map([
    ['KUBERNETES_SERVICE_HOST', host], ['KUBERNETES_SERVICE_PORT', port], ['KUBERNETES_SERVICE_PORT_HTTPS', port],
    ['KUBERNETES_PORT', `tcp://${host}:${port}`], ['KUBERNETES_PORT_443_TCP', `tcp://${host}:${port}`],
  ]);
}

export async function prepareContainer(ctx: AgentContext, pod: V1Pod, container: V1Container, volumes: ReadonlyMap<string, VolumeDir>, podIp: string): Promise<Prepared> {
  const lookup = ctx.images(container.image ?? '');
  if (!lookup.ok) return { ok: false, reason: 'ErrImagePull', message: lookup.message };
  const spec = lookup.spec;
  const namespace = pod.metadata?.namespace ?? 'default';
  const sources = await fetchSources(ctx.api, namespace, listEnvSources(container));
  const facts = { pod, podIp, hostIp: ctx.hostIp, nodeAllocatable: ctx.nodeAllocatable };
  const base = baseEnv(ctx);
  base.set('HOSTNAME', pod.spec?.hostname ?? pod.metadata?.name ?? '');
  const env = resolveEnv({ container, facts, sources, base });
  if (!env.ok) return env;
  const mounts = planMounts(container, volumes);
  if (!mounts.ok) return { ok: false, reason: 'CreateContainerConfigError', message: mounts.message };
  const image = planImageMounts(spec, join(ctx.podDataDir, pod.metadata?.uid ?? '', 'containers', container.name));
  for (const d of image.directories) await prepareDirectory(d);
  const allMounts = orderMounts(image.mounts, mounts.mounts);
  const network = ctx.network.containerEnv({ namespace, name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '', podIp });
  const merged = new Map([...env.env, ...Object.entries(network)]);
  const plan = buildProcessPlan({
    container, image: spec, env: merged, mounts: allMounts, hostPath: ctx.hostPath,
    ...(pod.spec?.securityContext ? { podSecurityContext: pod.spec.securityContext } : {}),
  });
  if (!plan.ok) return plan;
  const sourceKinds = new Map<string, 'dir' | 'file'>();
  for (const m of allMounts) {
    const volume = [...volumes.values()].find((v) => m.source === v.dir);
    sourceKinds.set(m.source, volume?.kind ?? (await kindOnDisk(m.source)));
  }
  return { ok: true, plan: plan.plan, imageId: spec.imageId, sourceKinds };
}

async function kindOnDisk(path: string): Promise<'dir' | 'file'> {
  try {
    return (await stat(path)).isFile() ? 'file' : 'dir';
  } catch {
    return 'dir';
  }
}

async function prepareDirectory(d: ImageDirectory): Promise<void> {
  await mkdir(d.hostPath, { recursive: true });
  await chown(d.hostPath, d.uid, d.uid);
  await chmod(d.hostPath, d.mode);
}
