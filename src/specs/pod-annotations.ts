// Pod annotations as 2.0 writes them (seed-operator.md §3.2): the user's spec.annotations, the
// fixed IP request for the CNI (calico ipAddrs or kube-ovn ip_address), the kube-ovn second NIC of
// an extendip, and bandwidth. The operator's keys win over the user's. The unsafe-sysctl
// annotation is written only when kernel.sem is asked for (off by default, weakness 12).
import { Annotation, KERNEL_SEM_SYSCTL, secondNicAnnotations, type IpNodeEntry } from '../api/v1/index.ts';
import type { SpecCluster } from './cluster.ts';

type Networks = readonly { readonly name?: unknown; readonly namespace?: unknown }[];
type SwitchArray = readonly { readonly networkname?: unknown; readonly subnetname?: unknown }[];

function parseJsonArray<T>(text: string | undefined): readonly T[] {
  if (text === undefined) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    // A malformed annotation is reported by the reconciler's kube-ovn check; here it yields no NIC.
    return [];
  }
}

/** kube-ovn second-NIC annotations for `extendip` (2.0: first network of k8s.v1.cni.cncf.io/networks). */
export function secondNic(user: Readonly<Record<string, string>>, extendip: string): Record<string, string> {
  const network = parseJsonArray<Networks[number]>(user[Annotation.MultusNetworks])[0];
  if (network === undefined || typeof network.name !== 'string' || typeof network.namespace !== 'string') return {};
  const subnet = parseJsonArray<SwitchArray[number]>(user[Annotation.AttachLogicalSwitchArray]).find((s) => s.networkname === network.name);
  const keys = secondNicAnnotations(network.name, network.namespace);
  return {
    [keys.ipAddress]: extendip,
    ...(typeof subnet?.subnetname === 'string' ? { [keys.logicalSwitch]: subnet.subnetname } : {}),
  };
}

const UNIT_MBIT: Readonly<Record<string, number>> = { M: 1, G: 1000, T: 1_000_000 };

/** Bandwidth `100M`/`1G`/`1.5T` in Mbit/s for kube-ovn, or undefined when malformed. */
export function bandwidthMbits(bandwidth: string): string | undefined {
  const match = /^([0-9]+(?:\.[0-9]+)?)([MGT])$/.exec(bandwidth);
  if (match === null) return undefined;
  const mbits = Number(match[1]) * (UNIT_MBIT[match[2] ?? 'M'] ?? 1);
  return String(Math.round(mbits));
}

function bandwidthAnnotations(cluster: SpecCluster): Record<string, string> {
  const bandwidth = cluster.spec.bandwidth;
  if (bandwidth === '') return {};
  if (cluster.spec.networkclass !== 'kube-ovn') {
    return { [Annotation.IngressBandwidth]: bandwidth, [Annotation.EgressBandwidth]: bandwidth };
  }
  const mbits = bandwidthMbits(bandwidth);
  return mbits === undefined ? {} : { [Annotation.OvnIngressRate]: mbits, [Annotation.OvnEgressRate]: mbits };
}

function userAnnotations(cluster: SpecCluster, member: IpNodeEntry): Record<string, string> {
  const user = { ...cluster.spec.annotations };
  // 2.0 strips the subnet list always and the network list when the member has no second NIC.
  delete user[Annotation.AttachLogicalSwitchArray];
  if ((member.extendip ?? '') === '') delete user[Annotation.MultusNetworks];
  return user;
}

function networkAnnotations(cluster: SpecCluster, member: IpNodeEntry): Record<string, string> {
  if (cluster.spec.networkclass === 'calico') return { [Annotation.CalicoIpAddrs]: JSON.stringify([member.ip]) };
  const extendip = member.extendip ?? '';
  return {
    [Annotation.OvnIpAddress]: member.ip,
    ...(extendip === '' ? {} : secondNic(cluster.spec.annotations, extendip)),
  };
}

export function buildPodAnnotations(cluster: SpecCluster, member: IpNodeEntry, kernelSem: boolean): Record<string, string> {
  return {
    ...userAnnotations(cluster, member),
    ...networkAnnotations(cluster, member),
    ...bandwidthAnnotations(cluster),
    ...(kernelSem ? { [Annotation.UnsafeSysctls]: KERNEL_SEM_SYSCTL } : {}),
  };
}
