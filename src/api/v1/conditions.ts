// Condition types and reasons of status.conditions (metav1.Condition shape). Types are
// PascalCase states, reasons PascalCase causes; they are API: alerts and scripts match on them.
export const ConditionType = {
  /** True when every member is healthy, the primary serves writes and the spec is fully applied. */
  Ready: 'Ready',
  /** True while the operator is changing the cluster (create, update, restore, repair, failover...). */
  Progressing: 'Progressing',
  /** True when the cluster works with reduced safety or capacity, or needs a human. */
  Degraded: 'Degraded',
} as const;
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType];

export const ConditionStatus = { True: 'True', False: 'False', Unknown: 'Unknown' } as const;
export type ConditionStatus = (typeof ConditionStatus)[keyof typeof ConditionStatus];

export const ConditionReason = {
  // Ready
  /** Ready=True: all members healthy and the spec applied. */
  ClusterReady: 'ClusterReady',
  /** Ready=False: some member is not ready. */
  MembersNotReady: 'MembersNotReady',
  /** Ready=False, Degraded=True: no member serves as primary. */
  PrimaryUnavailable: 'PrimaryUnavailable',
  /** Ready=False: localrole is standby; the site serves reads only and has no primary by design. */
  StandbySite: 'StandbySite',

  // Progressing
  /** Progressing=True: a new cluster is being created. */
  Creating: 'Creating',
  /** Progressing=True: a spec change is being applied. */
  Updating: 'Updating',
  /** Progressing=True: members are added. */
  ScalingOut: 'ScalingOut',
  /** Progressing=True: members are removed. */
  ScalingIn: 'ScalingIn',
  /** Progressing=True: pods are recreated one by one for new images or resources. */
  RollingUpdate: 'RollingUpdate',
  /** Progressing=True: a planned primary change. */
  SwitchingOver: 'SwitchingOver',
  /** Progressing=True: the primary was lost and a standby is being promoted. */
  FailingOver: 'FailingOver',
  /** Progressing=True: a member is rebuilt from another. */
  Rebuilding: 'Rebuilding',
  /** Progressing=True: spec.restorefile is being restored. */
  Restoring: 'Restoring',
  /** Progressing=True: a health check found drift that is being repaired. */
  Recovering: 'Recovering',
  /** Progressing=False: nothing left to do. */
  ReconcileComplete: 'ReconcileComplete',
  /** Progressing=False: spec.maintenance is true. */
  MaintenanceMode: 'MaintenanceMode',

  // Degraded
  /** Degraded=False. */
  AsExpected: 'AsExpected',
  /** Degraded=True, Ready=False: the spec failed validation (status.message names the fields). */
  InvalidSpec: 'InvalidSpec',
  /** Degraded=True: fewer Sync standbys than the sync policy needs. */
  SyncStandbysMissing: 'SyncStandbysMissing',
  /** Degraded=True: most_available_sync is on, so commits no longer wait for a standby. */
  ReplicationAsync: 'ReplicationAsync',
  /** Degraded=True: no standby can be promoted safely; a human must decide (state failed). */
  NoElectableStandby: 'NoElectableStandby',
  /** Degraded=True: a data volume passed its usage threshold and the primary was made read-only. */
  VolumeAlmostFull: 'VolumeAlmostFull',
  /** Degraded=True: a member's WAL diverged or its data is damaged and it waits for a rebuild. */
  MemberNeedsRebuild: 'MemberNeedsRebuild',
  /** Degraded=True: a member's nodename names no Node; nothing is created for the cluster until it does. */
  NodeNotFound: 'NodeNotFound',
  /** Degraded=True: a member IP is already used by an older cluster; this cluster is left alone. */
  IpConflict: 'IpConflict',
  /** Degraded=True: the API server refused a Service (usually a NodePort already allocated). */
  NodePortConflict: 'NodePortConflict',
  /** Degraded=True: a member's image cannot be pulled (ErrImagePull, ImagePullBackOff). */
  ImagePullFailed: 'ImagePullFailed',
  /** Degraded=True: the Secret named by passwordSecretRef (or its key) does not exist. */
  SecretMissing: 'SecretMissing',
  /** Degraded=True: more than one member reports primary; the operator does not act until a human decides. */
  MultiplePrimaries: 'MultiplePrimaries',
} as const;
export type ConditionReason = (typeof ConditionReason)[keyof typeof ConditionReason];
