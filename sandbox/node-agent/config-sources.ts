// Reads the ConfigMaps and Secrets a Pod refers to, as the Node authorizer lets this node read
// them (only objects referenced by Pods bound here). A 404 is data (`undefined`): the caller
// turns it into the kubelet's error for that place.
import type { ApiClient } from './api-client.ts';
import type { KeyedData } from './env-resolution.ts';

type DataObject = { data?: Record<string, string>; binaryData?: Record<string, string> };

export async function fetchConfigMap(api: ApiClient, namespace: string, name: string): Promise<KeyedData | undefined> {
  const res = await api.request('GET', `/api/v1/namespaces/${namespace}/configmaps/${encodeURIComponent(name)}`, { allow404: true });
  if (res.status === 404) return undefined;
  const body = res.body as DataObject;
  const binary = Object.fromEntries(Object.entries(body.binaryData ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('latin1')]));
  return { ...binary, ...(body.data ?? {}) };
}

export async function fetchSecret(api: ApiClient, namespace: string, name: string): Promise<KeyedData | undefined> {
  const res = await api.request('GET', `/api/v1/namespaces/${namespace}/secrets/${encodeURIComponent(name)}`, { allow404: true });
  if (res.status === 404) return undefined;
  const body = res.body as DataObject;
  return Object.fromEntries(Object.entries(body.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

/** Secret bytes stay bytes for files (keys, certificates). */
export async function fetchSecretBytes(api: ApiClient, namespace: string, name: string): Promise<Map<string, Buffer> | undefined> {
  const res = await api.request('GET', `/api/v1/namespaces/${namespace}/secrets/${encodeURIComponent(name)}`, { allow404: true });
  if (res.status === 404) return undefined;
  const body = res.body as DataObject;
  return new Map(Object.entries(body.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
}

export async function fetchSources(api: ApiClient, namespace: string, refs: { configMaps: readonly string[]; secrets: readonly string[] }): Promise<{ configMaps: Map<string, KeyedData | undefined>; secrets: Map<string, KeyedData | undefined> }> {
  const configMaps = new Map<string, KeyedData | undefined>();
  const secrets = new Map<string, KeyedData | undefined>();
  for (const name of refs.configMaps) configMaps.set(name, await fetchConfigMap(api, namespace, name));
  for (const name of refs.secrets) secrets.set(name, await fetchSecret(api, namespace, name));
  return { configMaps, secrets };
}
