// Where a member's pod may run (seed-operator.md §3.3): under calico a member with a nodename gets a
// required hostname affinity; otherwise schedule.nodes (kube-ovn) becomes the hostname affinity and
// schedule.nodelabels the nodeSelector, and non-calico pods of one cluster repel each other per
// host. Both sets of NoExecute tolerations last schedule.toleration seconds.
import type { V1Affinity, V1NodeSelectorTerm, V1Toleration } from '@kubernetes/client-node';
import { Label, type IpNodeEntry } from '../api/v1/index.ts';
import type { SpecCluster } from './cluster.ts';

const HOSTNAME = 'kubernetes.io/hostname';

const hostnameTerm = (names: readonly string[]): V1NodeSelectorTerm => ({
  matchExpressions: [{ key: HOSTNAME, operator: 'In', values: [...names] }],
});

function nodeNames(cluster: SpecCluster, member: IpNodeEntry): readonly string[] {
  const nodename = member.nodename ?? '';
  if (cluster.spec.networkclass === 'calico') return nodename === '' ? [] : [nodename];
  return cluster.spec.schedule.nodes;
}

export function buildAffinity(cluster: SpecCluster, member: IpNodeEntry): V1Affinity | undefined {
  const names = nodeNames(cluster, member);
  const nodeAffinity = names.length === 0 ? undefined : { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [hostnameTerm(names)] } };
  const podAntiAffinity = cluster.spec.networkclass === 'calico' ? undefined : {
    requiredDuringSchedulingIgnoredDuringExecution: [{
      labelSelector: { matchLabels: { [Label.Cluster]: cluster.metadata.name } },
      topologyKey: HOSTNAME,
    }],
  };
  if (nodeAffinity === undefined && podAntiAffinity === undefined) return undefined;
  return { ...(nodeAffinity ? { nodeAffinity } : {}), ...(podAntiAffinity ? { podAntiAffinity } : {}) };
}

export function buildNodeSelector(cluster: SpecCluster): Record<string, string> | undefined {
  const labels = cluster.spec.schedule.nodelabels;
  return cluster.spec.networkclass === 'calico' || Object.keys(labels).length === 0 ? undefined : { ...labels };
}

export function buildTolerations(cluster: SpecCluster): V1Toleration[] {
  return ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'].map((key) => ({
    key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: cluster.spec.schedule.toleration,
  }));
}
