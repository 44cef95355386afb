// Downward API values (fieldRef, resourceFieldRef) for env vars and downwardAPI volume files,
// with the paths Kubernetes supports; anything else is an error message, as the kubelet reports.
import type { V1Container, V1ObjectFieldSelector, V1Pod, V1ResourceFieldSelector } from '@kubernetes/client-node';

export type PodFacts = {
  readonly pod: V1Pod;
  readonly podIp: string;
  readonly hostIp: string;
  /** Declared node allocatable, the value of limits.* when a container sets none. */
  readonly nodeAllocatable: { readonly cpu: string; readonly memory: string; readonly 'ephemeral-storage': string };
};

export type Resolved = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly message: string };

const mapEntry = /^metadata\.(labels|annotations)\['(.+)'\]$/;

function formatMap(map: Readonly<Record<string, string>> | undefined): string {
  return Object.entries(map ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join('\n');
}

export function resolveFieldRef(selector: V1ObjectFieldSelector, facts: PodFacts): Resolved {
  const { pod } = facts;
  const path = selector.fieldPath;
  const entry = mapEntry.exec(path);
  if (entry !== null) {
    const map = entry[1] === 'labels' ? pod.metadata?.labels : pod.metadata?.annotations;
    return { ok: true, value: map?.[entry[2] ?? ''] ?? '' };
  }
  const simple: Record<string, string | undefined> = {
    'metadata.name': pod.metadata?.name,
    'metadata.namespace': pod.metadata?.namespace,
    'metadata.uid': pod.metadata?.uid,
    'metadata.labels': formatMap(pod.metadata?.labels),
    'metadata.annotations': formatMap(pod.metadata?.annotations),
    'spec.nodeName': pod.spec?.nodeName,
    'spec.serviceAccountName': pod.spec?.serviceAccountName ?? 'default',
    'status.hostIP': facts.hostIp,
    'status.hostIPs': facts.hostIp,
    'status.podIP': facts.podIp,
    'status.podIPs': facts.podIp,
  };
  if (!(path in simple)) return { ok: false, message: `unsupported fieldPath: ${path}` };
  return { ok: true, value: simple[path] ?? '' };
}

/** Parses a Kubernetes quantity into a number of base units (cores, bytes). */
export function parseQuantity(text: string): number | undefined {
  const match = /^([0-9.]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(text.trim());
  if (match === null) return undefined;
  const factors: Record<string, number> = {
    '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  };
  return Number(match[1]) * (factors[match[2] ?? ''] ?? 1);
}

export function resolveResourceFieldRef(selector: V1ResourceFieldSelector, container: V1Container | undefined, facts: PodFacts): Resolved {
  const [kind, resource] = selector.resource.split('.', 2) as [string, string | undefined];
  if ((kind !== 'limits' && kind !== 'requests') || resource === undefined || !(resource in facts.nodeAllocatable)) {
    return { ok: false, message: `unsupported container resource: ${selector.resource}` };
  }
  const key = resource as keyof PodFacts['nodeAllocatable'];
  const own = container?.resources?.[kind]?.[key] ?? (kind === 'limits' ? facts.nodeAllocatable[key] : undefined);
  const amount = parseQuantity(String(own ?? '0')) ?? 0;
  const divisor = parseQuantity(String(selector.divisor ?? '1')) ?? 1;
  // The kubelet rounds up, so a 250m CPU limit reads as 1 core.
  return { ok: true, value: String(Math.ceil(amount / (divisor === 0 ? 1 : divisor))) };
}
