// The files of configMap, secret, downwardAPI and projected volumes, including ServiceAccount
// tokens from TokenRequest bound to the Pod, so in-pod clients authenticate as the Pod's
// ServiceAccount and its RBAC is the real one. Missing sources fail with the kubelet's wording.
import type { V1KeyToPath } from '@kubernetes/client-node';
import type { ApiClient } from './api-client.ts';
import { fetchConfigMap, fetchSecretBytes } from './config-sources.ts';
import { resolveFieldRef, resolveResourceFieldRef, type PodFacts } from './field-ref.ts';
import type { VolumeFile } from './atomic-dir.ts';
import type { FileSource } from './volume-plan.ts';

export type TokenCache = Map<string, { token: string; refreshAtMs: number }>;

export type FilesContext = { readonly api: ApiClient; readonly facts: PodFacts; readonly tokens: TokenCache };

export class VolumeSetupError extends Error {}

function keyed(kind: 'configmap' | 'secret', name: string, data: Map<string, Buffer>, items: readonly V1KeyToPath[] | undefined, mode: number, optional: boolean): VolumeFile[] {
  if (items === undefined) return [...data].map(([key, content]) => ({ path: key, content, mode }));
  const files: VolumeFile[] = [];
  for (const item of items) {
    const content = data.get(item.key);
    if (content === undefined) {
      if (optional) continue;
      throw new VolumeSetupError(`${kind} references non-existent ${kind === 'secret' ? 'secret' : 'config'} key: ${item.key} (${name})`);
    }
    files.push({ path: item.path, content, mode: item.mode ?? mode });
  }
  return files;
}

async function tokenFor(ctx: FilesContext, source: Extract<FileSource, { kind: 'serviceAccountToken' }>): Promise<string> {
  const pod = ctx.facts.pod;
  const sa = pod.spec?.serviceAccountName ?? 'default';
  const key = `${sa}|${source.audience ?? ''}|${String(source.expirationSeconds)}`;
  const cached = ctx.tokens.get(key);
  if (cached !== undefined && cached.refreshAtMs > Date.now()) return cached.token;
  const expirationSeconds = Math.max(600, source.expirationSeconds);
  const res = await ctx.api.request('POST', `/api/v1/namespaces/${pod.metadata?.namespace ?? 'default'}/serviceaccounts/${sa}/token`, {
    body: {
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest',
      spec: {
        audiences: source.audience ? [source.audience] : [], expirationSeconds,
        boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name, uid: pod.metadata?.uid },
      },
    },
  });
  const token = (res.body as { status: { token: string } }).status.token;
  // The kubelet refreshes at 80% of the lifetime.
  ctx.tokens.set(key, { token, refreshAtMs: Date.now() + expirationSeconds * 800 });
  return token;
}

async function filesOf(ctx: FilesContext, source: FileSource, mode: number): Promise<VolumeFile[]> {
  const namespace = ctx.facts.pod.metadata?.namespace ?? 'default';
  switch (source.kind) {
    case 'configMap': {
      const data = await fetchConfigMap(ctx.api, namespace, source.name);
      if (data === undefined) {
        if (source.optional) return [];
        throw new VolumeSetupError(`configmap "${source.name}" not found`);
      }
      return keyed('configmap', source.name, new Map(Object.entries(data).map(([k, v]) => [k, Buffer.from(v)])), source.items, mode, source.optional);
    }
    case 'secret': {
      const data = await fetchSecretBytes(ctx.api, namespace, source.name);
      if (data === undefined) {
        if (source.optional) return [];
        throw new VolumeSetupError(`secret "${source.name}" not found`);
      }
      return keyed('secret', source.name, data, source.items, mode, source.optional);
    }
    case 'downwardAPI':
      return source.items.map((item) => {
        const container = ctx.facts.pod.spec?.containers.find((c) => c.name === item.resourceFieldRef?.containerName);
        const value = item.fieldRef ? resolveFieldRef(item.fieldRef, ctx.facts) : item.resourceFieldRef ? resolveResourceFieldRef(item.resourceFieldRef, container, ctx.facts) : { ok: false as const, message: `downwardAPI item ${item.path} has no source` };
        if (!value.ok) throw new VolumeSetupError(value.message);
        return { path: item.path, content: Buffer.from(value.value), mode: item.mode ?? mode };
      });
    case 'serviceAccountToken':
      return [{ path: source.path, content: Buffer.from(await tokenFor(ctx, source)), mode }];
  }
}

export async function buildVolumeFiles(ctx: FilesContext, sources: readonly FileSource[], mode: number): Promise<VolumeFile[]> {
  const files: VolumeFile[] = [];
  for (const source of sources) files.push(...(await filesOf(ctx, source, mode)));
  return files;
}
