// status.state values. They are 2.0's wire values, kept so that dashboards, scripts and
// `kubectl get` output keep working: note `updating`, which 2.0 writes although its README says
// "update". Finer detail (why, which operation) goes to conditions and status.operation rather
// than to new states, so that no 2.0 consumer meets a value it does not know.
export const ClusterState = {
  /** First pass of a new cluster. */
  Creating: 'creating',
  /** The spec changed and is being applied (scale, resources, images, roles). */
  Updating: 'updating',
  /** Everything matches the spec and every member is healthy. */
  Ready: 'ready',
  /** A health check found a problem and the operator is repairing it, or an invalid spec became valid. */
  Recovering: 'recovering',
  /** spec.maintenance is true: the operator leaves the cluster alone. */
  Maintaining: 'maintaining',
  /** The spec failed validation; an existing cluster keeps running on its last applied spec. */
  Invalid: 'invalid',
  /** The operator cannot proceed without a human (no electable standby). */
  Failed: 'failed',
  /** spec.restorefile changed and a restore is running. */
  Restoring: 'restoring',
} as const;
export type ClusterState = (typeof ClusterState)[keyof typeof ClusterState];

export const ClusterStates: readonly ClusterState[] = Object.values(ClusterState);

export function isClusterState(value: string): value is ClusterState {
  return (ClusterStates as readonly string[]).includes(value);
}
