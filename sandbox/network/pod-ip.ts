// Pod IP rules for the node agent (pure; time comes in as `nowMs`). Pods on node n get
// 127.10.n.2–254; a Pod may ask for a fixed address with the calico or kube-ovn annotation,
// which the sandbox honours only inside 127.0.0.0/8 so no traffic ever leaves loopback.
import { isIPv4 } from 'node:net';

export const CALICO_IP_ANNOTATION = 'cni.projectcalico.org/ipAddrs';
export const KUBE_OVN_IP_ANNOTATION = 'ovn.kubernetes.io/ip_address';
export const IP_REUSE_DELAY_MS = 60_000;

export type RequestedIp = { readonly kind: 'none' } | { readonly kind: 'requested'; readonly ip: string } | { readonly kind: 'invalid'; readonly reason: string };
type Parsed = Exclude<RequestedIp, { readonly kind: 'none' }>;
export type IpResult = { readonly ok: true; readonly ip: string } | { readonly ok: false; readonly reason: string };

/** The node IP of node n (1-based): 127.10.n.1. */
export function nodeIpOf(nodeIndex: number): string {
  if (!Number.isInteger(nodeIndex) || nodeIndex < 1 || nodeIndex > 254) throw new RangeError(`node index ${nodeIndex} is outside 1..254`);
  return `127.10.${nodeIndex}.1`;
}

/** Reads a fixed Pod IP from the calico or kube-ovn annotation; both present must agree. */
export function parseRequestedPodIp(annotations: Readonly<Record<string, string>> | undefined): RequestedIp {
  const calico = annotations?.[CALICO_IP_ANNOTATION];
  const ovn = annotations?.[KUBE_OVN_IP_ANNOTATION];
  const fromCalico = calico === undefined ? undefined : parseCalico(calico);
  const fromOvn = ovn === undefined ? undefined : parseAddressList(ovn, KUBE_OVN_IP_ANNOTATION, ovn.split(','));
  if (fromCalico?.kind === 'invalid') return fromCalico;
  if (fromOvn?.kind === 'invalid') return fromOvn;
  if (fromCalico !== undefined && fromOvn !== undefined && fromCalico.ip !== fromOvn.ip) {
    return { kind: 'invalid', reason: `${CALICO_IP_ANNOTATION} asks for ${fromCalico.ip} but ${KUBE_OVN_IP_ANNOTATION} for ${fromOvn.ip}` };
  }
  return fromCalico ?? fromOvn ?? { kind: 'none' };
}

function parseCalico(value: string): Parsed {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { kind: 'invalid', reason: `${CALICO_IP_ANNOTATION} must be a JSON array of addresses, got ${JSON.stringify(value)}` };
  }
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
    return { kind: 'invalid', reason: `${CALICO_IP_ANNOTATION} must be a JSON array of address strings, got ${JSON.stringify(value)}` };
  }
  return parseAddressList(value, CALICO_IP_ANNOTATION, parsed);
}

// Both annotations may list one IPv4 and one IPv6 address (dual stack); the sandbox is IPv4 only,
// so it takes the IPv4 one and ignores IPv6. A /32 suffix is accepted.
function parseAddressList(raw: string, annotation: string, items: readonly string[]): Parsed {
  const trimmed = items.map((item) => item.trim().replace(/\/32$/, '')).filter((item) => item !== '');
  const ipv4 = trimmed.filter((item) => isIPv4(item));
  const unknown = trimmed.filter((item) => !isIPv4(item) && !item.includes(':'));
  if (unknown.length > 0 || ipv4.length !== 1) {
    return { kind: 'invalid', reason: `${annotation} must name exactly one IPv4 address, got ${JSON.stringify(raw)}` };
  }
  const ip = ipv4[0] ?? '';
  if (!ip.startsWith('127.')) {
    return { kind: 'invalid', reason: `${annotation} asks for ${ip}, but sandbox Pods may only use 127.0.0.0/8 (no traffic leaves loopback)` };
  }
  return { kind: 'requested', ip };
}

/** Why an address in 127.0.0.0/8 cannot be a Pod IP, or undefined when it can. */
export function reservedReason(ip: string): string | undefined {
  const octets = ip.split('.').map(Number);
  if (ip === '127.0.0.1' || octets[1] === 0) return `${ip} is in 127.0.0.0/16, kept for the host's own loopback (apiserver, etcd)`;
  if (octets[3] === 0 || octets[3] === 255) return `${ip} ends in .${octets[3]}, which the sandbox never gives a Pod`;
  if (octets[1] === 10 && octets[3] === 1) return `${ip} is the node IP of node ${octets[2]}`;
  return undefined;
}
