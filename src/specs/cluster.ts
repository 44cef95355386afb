// What every builder takes: the cluster's identity and its resolved spec (resolveDefaults), plus
// the metadata every owned object shares (owner reference, labels). Builders are pure and return
// plain objects ready for server-side apply: apiVersion and kind set, fields we do not own absent.
import type { V1ObjectMeta, V1OwnerReference } from '@kubernetes/client-node';
import { APP_LABEL_VALUE, Label, OpenGaussClusterResource, type ResolvedSpec } from '../api/v1/index.ts';

export type ClusterIdentity = { readonly name: string; readonly namespace: string; readonly uid: string };

/** A validated cluster as the builders see it. */
export type SpecCluster = { readonly metadata: ClusterIdentity; readonly spec: ResolvedSpec };

/** The controller reference Pods, Services and og-<cluster>-cm carry; PVCs, PVs and the Secret do not. */
export function clusterOwnerReference(cluster: SpecCluster): V1OwnerReference {
  return {
    apiVersion: OpenGaussClusterResource.apiVersion,
    kind: OpenGaussClusterResource.kind,
    name: cluster.metadata.name,
    uid: cluster.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** 2.0's labels on Services, Secret, scripts ConfigMap, PVCs and PVs. */
export function clusterObjectLabels(cluster: SpecCluster): Record<string, string> {
  return { [Label.App]: APP_LABEL_VALUE, [Label.Name]: cluster.metadata.name };
}

type MetaOptions = { readonly owned: boolean; readonly labels: Record<string, string>; readonly annotations?: Record<string, string> };

/** Namespaced object metadata; `owned` adds the controller reference. */
export function objectMeta(cluster: SpecCluster, name: string, options: MetaOptions): V1ObjectMeta {
  return {
    name,
    namespace: cluster.metadata.namespace,
    labels: options.labels,
    ...(options.annotations !== undefined && Object.keys(options.annotations).length > 0 ? { annotations: options.annotations } : {}),
    ...(options.owned ? { ownerReferences: [clusterOwnerReference(cluster)] } : {}),
  };
}
