// Annotation keys the operator writes on pods, as 2.0 does (network plugins read them).
export const Annotation = {
  /** kernel.sem for openGauss shared memory; needs the kubelet's allowed-unsafe-sysctls. */
  UnsafeSysctls: 'security.alpha.kubernetes.io/unsafe-sysctls',
  /** calico: the fixed pod IP, as a JSON array. */
  CalicoIpAddrs: 'cni.projectcalico.org/ipAddrs',
  /** kube-ovn: the fixed pod IP. */
  OvnIpAddress: 'ovn.kubernetes.io/ip_address',
  /** kube-ovn: the subnet, set by the user in spec.annotations. */
  OvnLogicalSwitch: 'ovn.kubernetes.io/logical_switch',
  /** kube-ovn bandwidth in Mbit/s. */
  OvnIngressRate: 'ovn.kubernetes.io/ingress_rate',
  OvnEgressRate: 'ovn.kubernetes.io/egress_rate',
  /** Multus: the second network, `[{"name":…,"namespace":…}]`, set by the user for extendip. */
  MultusNetworks: 'k8s.v1.cni.cncf.io/networks',
  /** User input naming the second network's subnet; always stripped from the pod. */
  AttachLogicalSwitchArray: 'attach_logical_switch_array',
  /** Bandwidth plugin (non-kube-ovn). */
  IngressBandwidth: 'kubernetes.io/ingress-bandwidth',
  EgressBandwidth: 'kubernetes.io/egress-bandwidth',
} as const;
export type Annotation = (typeof Annotation)[keyof typeof Annotation];

/** The value 2.0 puts under UnsafeSysctls. */
export const KERNEL_SEM_SYSCTL = 'kernel.sem = 250 6400000 1000 25600';

/** kube-ovn second-NIC annotations: `<network>.<namespace>.ovn.kubernetes.io/ip_address` and `…/logical_switch`. */
export function secondNicAnnotations(network: string, namespace: string): { readonly ipAddress: string; readonly logicalSwitch: string } {
  const prefix = `${network}.${namespace}.ovn.kubernetes.io`;
  return { ipAddress: `${prefix}/ip_address`, logicalSwitch: `${prefix}/logical_switch` };
}
