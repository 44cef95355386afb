// Which address a Pod gets (issue 4): an IP requested through a CNI annotation (calico or
// kube-ovn) when present, otherwise the next free address of the node's loopback pool
// 127.10.<node>.2-254. Only 127.0.0.0/8 is accepted, so traffic to a Pod never leaves the host.
import { isIP } from 'node:net';
import { isSandboxAddress } from './sandbox-address.ts';

export const PodIpAnnotations = {
  calico: 'cni.projectcalico.org/ipAddrs',
  kubeOvn: 'ovn.kubernetes.io/ip_address',
} as const;

export type IpRequest =
  | { readonly kind: 'pool' }
  | { readonly kind: 'requested'; readonly ip: string; readonly source: string }
  | { readonly kind: 'invalid'; readonly message: string };

export type IpDecision =
  | { readonly ok: true; readonly ip: string }
  | { readonly ok: false; readonly reason: 'InvalidPodIP' | 'PodIPConflict' | 'PodIPPoolExhausted'; readonly message: string };

/** What the Pod's annotations ask for; malformed JSON or a non-address is `invalid`. */
export function parseIpRequest(annotations: Readonly<Record<string, string>> | undefined): IpRequest {
  const calico = annotations?.[PodIpAnnotations.calico];
  if (calico !== undefined) return parseCalico(calico);
  const ovn = annotations?.[PodIpAnnotations.kubeOvn];
  if (ovn !== undefined) return requested(ovn.split(',')[0]?.trim() ?? '', PodIpAnnotations.kubeOvn);
  return { kind: 'pool' };
}

function parseCalico(text: string): IpRequest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'invalid', message: `annotation ${PodIpAnnotations.calico} is not a JSON array of addresses: ${text}` };
  }
  const first: unknown = Array.isArray(value) ? value[0] : undefined;
  if (typeof first !== 'string') {
    return { kind: 'invalid', message: `annotation ${PodIpAnnotations.calico} must be a JSON array like ["127.10.1.5"], got ${text}` };
  }
  return requested(first, PodIpAnnotations.calico);
}

function requested(raw: string, source: string): IpRequest {
  const ip = raw.replace(/\/\d+$/, '');
  if (isIP(ip) === 0) return { kind: 'invalid', message: `annotation ${source} holds ${JSON.stringify(raw)}, which is not an IP address` };
  return { kind: 'requested', ip, source };
}

export type PoolState = {
  /** Node index n: pool addresses are 127.10.n.2-254. */
  readonly nodeIndex: number;
  /** Address → uid of the Pod holding it (this node and, where known, the whole cluster). */
  readonly inUse: ReadonlyMap<string, string>;
  /** Released addresses not to hand out again before the given time (ms). */
  readonly coolingUntil: ReadonlyMap<string, number>;
  readonly nowMs: number;
};

export function nodeAddress(nodeIndex: number): string {
  return `127.10.${nodeIndex}.1`;
}

/** Decides the Pod's IP; pure, so the rules are tested in milliseconds. */
export function decidePodIp(request: IpRequest, podUid: string, pool: PoolState): IpDecision {
  switch (request.kind) {
    case 'invalid':
      return { ok: false, reason: 'InvalidPodIP', message: request.message };
    case 'requested':
      return decideRequested(request.ip, request.source, podUid, pool);
    case 'pool':
      return decideFromPool(podUid, pool);
  }
}

function decideRequested(ip: string, source: string, podUid: string, pool: PoolState): IpDecision {
  if (!isSandboxAddress(ip) || isIP(ip) !== 4) {
    return { ok: false, reason: 'InvalidPodIP', message: `pod IP ${ip} from annotation ${source} is outside the sandbox range 127.0.0.0/8; refusing to use it` };
  }
  const holder = pool.inUse.get(ip);
  if (holder !== undefined && holder !== podUid) {
    return { ok: false, reason: 'PodIPConflict', message: `pod IP ${ip} from annotation ${source} is already used by another pod (uid ${holder})` };
  }
  if (ip === '127.0.0.1' || ip.endsWith('.1') && ip.startsWith('127.10.')) {
    return { ok: false, reason: 'InvalidPodIP', message: `pod IP ${ip} from annotation ${source} is reserved for the node or the host` };
  }
  return { ok: true, ip };
}

function decideFromPool(podUid: string, pool: PoolState): IpDecision {
  for (const [ip, holder] of pool.inUse) if (holder === podUid) return { ok: true, ip };
  for (let host = 2; host <= 254; host++) {
    const ip = `127.10.${pool.nodeIndex}.${host}`;
    if (pool.inUse.has(ip)) continue;
    if ((pool.coolingUntil.get(ip) ?? 0) > pool.nowMs) continue;
    return { ok: true, ip };
  }
  return { ok: false, reason: 'PodIPPoolExhausted', message: `no free address left in 127.10.${pool.nodeIndex}.2-254` };
}
