// Label keys and values the operator reads and writes. They are 2.0's, so that Services,
// selectors and users' scripts keep matching adopted pods and PVCs.
export const Label = {
  /** `opengauss` on every object the operator makes; with Cluster it selects a cluster's pods. */
  App: 'app.kubernetes.io/app',
  /** The cluster name, on Services, Secret, scripts ConfigMap and PVCs. */
  Name: 'app.kubernetes.io/name',
  /** The cluster name, on pods (the Services' selector). */
  Cluster: 'opengauss.cluster',
  /** primary or standby on pods; removed while a pod is unhealthy or changing role. */
  Role: 'opengauss.role',
  /** On hostPath PVCs and PVs: <pod>-<data|log>, binding one to the other. */
  PersistentVolume: 'pv',
  /** On StorageClass PVCs: the pod name. */
  Pod: 'pod',
} as const;
export type Label = (typeof Label)[keyof typeof Label];

export const APP_LABEL_VALUE = 'opengauss';

export const RoleLabelValue = { Primary: 'primary', Standby: 'standby' } as const;
export type RoleLabelValue = (typeof RoleLabelValue)[keyof typeof RoleLabelValue];

/** Selector of all pods of a cluster. */
export function clusterPodSelector(clusterName: string): Readonly<Record<string, string>> {
  return { [Label.App]: APP_LABEL_VALUE, [Label.Cluster]: clusterName };
}
