// Which address a Pod gets (issue 4): an IP requested through a CNI annotation (calico or
// kube-ovn) when present, otherwise the next free address of the node's loopback pool
// 127.10.<node>.2-254. Only 127.0.0.0/8 is accepted, so traffic to a Pod never leaves the host.
import { isIP } from 'node:net';
import { isSandboxAddress } from '../address-guard.ts';

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
  if (ovn !== undefined) return requested(ovn.split(','), PodIpAnnotations.kubeOvn, ovn);
  return { kind: 'pool' };
}

function parseCalico(text: string): IpRequest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'invalid', message: `annotation ${PodIpAnnotations.calico} is not a JSON array of addresses: ${text}` };
  }
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string') || value.length === 0) {
    return { kind: 'invalid', message: `annotation ${PodIpAnnotations.calico} must be a JSON array like ["127.10.1.5"], got ${text}` };
  }
  return requested(value, PodIpAnnotations.calico, text);
}

// Both annotations may hold an IPv4 and an IPv6 address (dual stack); the sandbox is IPv4 only, so
// it takes the (first) IPv4 one and ignores IPv6. A prefix length (/32) is accepted.
function requested(items: readonly string[], source: string, raw: string): IpRequest {
  const addresses = items.map((item) => item.trim().replace(/\/\d+$/, '')).filter((item) => item !== '');
  const ipv4 = addresses.filter((a) => isIP(a) === 4);
  const other = addresses.filter((a) => isIP(a) === 0);
  if (other.length > 0) return { kind: 'invalid', message: `annotation ${source} holds ${JSON.stringify(other[0])}, which is not an IP address` };
  if (ipv4.length === 0) return { kind: 'invalid', message: `annotation ${source} names no IPv4 address, got ${JSON.stringify(raw)}` };
  return { kind: 'requested', ip: ipv4[0] ?? '', source };
}

export type PoolState = {
  /** Node index n: pool addresses are 127.10.n.2-254. */
  readonly nodeIndex: number;
  /** Address → uid of the Pod holding it (this node and, where known, the whole cluster). */
  readonly inUse: ReadonlyMap<string, string>;
  /** Released addresses not to hand out again before the given time (ms). */
  readonly coolingUntil: ReadonlyMap<string, number>;
  /** `namespace/name` of the Pod that released each cooling address: it may take it back at once. */
  readonly releasedBy?: ReadonlyMap<string, string>;
  readonly nowMs: number;
};

export function nodeAddress(nodeIndex: number): string {
  return `127.10.${nodeIndex}.1`;
}

/** Why an address in 127.0.0.0/8 can never be a Pod IP, or undefined when it can. */
export function reservedReason(ip: string): string | undefined {
  const octets = ip.split('.').map(Number);
  if (octets[1] === 0) return `${ip} is in 127.0.0.0/16, kept for the host's own services (apiserver, etcd)`;
  if (octets[3] === 0 || octets[3] === 255) return `${ip} ends in .${octets[3]}, which the sandbox never gives a Pod`;
  if (octets[1] === 10 && octets[3] === 1) return `${ip} is the address of node ${octets[2]}`;
  return undefined;
}

/**
 * Decides the Pod's IP; pure, so the rules are tested in milliseconds. `podName` (namespace/name)
 * lets a recreated Pod (a StatefulSet's, with a fixed-IP annotation) take its address back while it
 * still cools down for everyone else.
 */
export function decidePodIp(request: IpRequest, podUid: string, pool: PoolState, podName = ''): IpDecision {
  switch (request.kind) {
    case 'invalid':
      return { ok: false, reason: 'InvalidPodIP', message: request.message };
    case 'requested':
      return decideRequested(request.ip, request.source, { uid: podUid, name: podName }, pool);
    case 'pool':
      return decideFromPool(podUid, pool);
  }
}

function decideRequested(ip: string, source: string, pod: { uid: string; name: string }, pool: PoolState): IpDecision {
  if (!isSandboxAddress(ip) || isIP(ip) !== 4) {
    return { ok: false, reason: 'InvalidPodIP', message: `pod IP ${ip} from annotation ${source} is outside the sandbox range 127.0.0.0/8; refusing to use it` };
  }
  const reserved = reservedReason(ip);
  if (reserved !== undefined) return { ok: false, reason: 'InvalidPodIP', message: `pod IP ${ip} from annotation ${source} is reserved: ${reserved}` };
  const holder = pool.inUse.get(ip);
  if (holder !== undefined && holder !== pod.uid) {
    return { ok: false, reason: 'PodIPConflict', message: `pod IP ${ip} from annotation ${source} is already used by another pod (uid ${holder})` };
  }
  const waitMs = (pool.coolingUntil.get(ip) ?? 0) - pool.nowMs;
  const releasedBy = pool.releasedBy?.get(ip);
  if (holder === undefined && waitMs > 0 && (releasedBy === undefined || releasedBy !== pod.name)) {
    return { ok: false, reason: 'PodIPConflict', message: `pod IP ${ip} from annotation ${source} was released by pod ${releasedBy ?? 'another pod'} and is reusable in ${Math.ceil(waitMs / 1000)} s` };
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

/** A sandbox-wide claim on a Pod IP: one file per address, shared by every agent of the sandbox. */
export type IpClaim = { readonly uid: string; readonly namespace: string; readonly name: string; readonly node: string; readonly claimedAtMs: number };

/** What a node agent knows when it finds another Pod's claim on the address it wants. */
export type ClaimView = {
  readonly nodeName: string;
  /** Uids of the Pods holding an address on this node (assigned or re-adopted). */
  readonly localUids: ReadonlySet<string>;
  /** Whether this node keeps saved state for the Pod (written right after its address is claimed). */
  readonly savedHere: (uid: string) => boolean;
  /** Uids of the unfinished Pods of the cluster-wide watch; undefined until it listed once. */
  readonly clusterUids: ReadonlySet<string> | undefined;
  readonly nowMs: number;
};

/** How long another node's claim is safe from takeover, however the cluster-wide watch lags. */
export const claimGraceMs = 30_000;

/** Whether a claim another Pod holds may be taken over because that Pod is gone. */
export function isStaleClaim(claim: IpClaim, view: ClaimView): boolean {
  if (view.localUids.has(claim.uid)) return false;
  // This node's own Pods are known for sure: a Pod it runs has saved state, even before an agent restart re-adopts it.
  if (claim.node === view.nodeName) return !view.savedHere(claim.uid);
  // Another node's Pod: only the cluster-wide watch can tell it is gone, and a Pod created a moment ago may not be in it yet.
  if (view.clusterUids === undefined || view.clusterUids.has(claim.uid)) return false;
  return view.nowMs - claim.claimedAtMs >= claimGraceMs;
}
