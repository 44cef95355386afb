// Kind descriptors the controller adds to src/kube/kinds.ts: the OpenGaussCluster (plain JSON, no
// client-node model) and Nodes (to tell a nodename that does not exist).
import type { KubernetesObject, V1Node } from '@kubernetes/client-node';
import { OpenGaussClusterResource, type ClusterStatus } from '../api/v1/index.ts';
import { defineKind } from '../kube/kinds.ts';

/** An OpenGaussCluster as the API returns it: the spec is judged by validateCluster, never trusted. */
export type ClusterObject = KubernetesObject & { spec?: unknown; status?: ClusterStatus };

export const ClusterKind = defineKind<ClusterObject>({
  group: OpenGaussClusterResource.group,
  version: OpenGaussClusterResource.version,
  kind: OpenGaussClusterResource.kind,
  plural: OpenGaussClusterResource.plural,
  namespaced: true,
});

export const NodeKind = defineKind<V1Node>({ group: '', version: 'v1', kind: 'Node', plural: 'nodes', namespaced: false, model: 'V1Node' });
