// The write and read NodePort Services (seed-operator.md §3.4): port = targetPort = dbport,
// selecting the cluster's pods by 2.0's labels. The read Service selects standbys; when no standby
// is ready the reconciler switches it to the primary, so reads keep working.
import type { V1Service } from '@kubernetes/client-node';
import { Label, RoleLabelValue, readServiceName, writeServiceName } from '../api/v1/index.ts';
import { clusterObjectLabels, objectMeta, type SpecCluster } from './cluster.ts';

function nodePortService(cluster: SpecCluster, name: string, nodePort: number, role: RoleLabelValue): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: objectMeta(cluster, name, { owned: true, labels: clusterObjectLabels(cluster) }),
    spec: {
      type: 'NodePort',
      selector: { [Label.Cluster]: cluster.metadata.name, [Label.Role]: role },
      ports: [{ protocol: 'TCP', port: cluster.spec.dbport, targetPort: cluster.spec.dbport, nodePort }],
    },
  };
}

/** `og-<cluster>-svc`, NodePort writeport, selecting the primary. */
export function buildWriteService(cluster: SpecCluster): V1Service {
  return nodePortService(cluster, writeServiceName(cluster.metadata.name), cluster.spec.writeport, RoleLabelValue.Primary);
}

/** `og-<cluster>-svc-read`, NodePort readport, selecting `target` (standbys, or the primary when none is ready). */
export function buildReadService(cluster: SpecCluster, target: RoleLabelValue = RoleLabelValue.Standby): V1Service {
  return nodePortService(cluster, readServiceName(cluster.metadata.name), cluster.spec.readport, target);
}
