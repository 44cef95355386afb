// The API's fixed values (enums, limits, schema defaults) without TypeBox: the schemas (spec.ts,
// status.ts) build on them, and the operator process uses them without loading the schema builder.

export const LocalRoles = ['primary', 'standby'] as const;
export const NetworkClasses = ['calico', 'kube-ovn'] as const;

/** openGauss has replconninfo1..8: a member lists at most 8 peers, so a site holds at most 9 members. */
export const MAX_MEMBERS = 9;

export const SpecDefaults = {
  cpu: '1',
  memory: '4Gi',
  storage: '3Gi',
  sidecarcpu: '500m',
  sidecarmemory: '1Gi',
  sidecarstorage: '1Gi',
  dbport: 5432,
  localrole: 'primary',
  backuppath: '/data/k8slocalxbk',
  archivelogpath: '/data/k8slocalogarchive',
  maintenance: false,
  scriptconfig: 'opengauss-script-config',
  filebeatconfig: 'opengauss-filebeat-config',
  customizedenv: { og_MONITOR_TYPE: 'OPENGAUSS' },
  passwordSecretKey: 'password',
} as const;

export const ScheduleDefaults = {
  processTimeout: 300,
  gracePeriod: 30,
  toleration: 300,
  mostavailabletimeout: 60,
  livenessProbePeriod: 30,
  readinessProbePeriod: 30,
} as const;

export const ConditionStatuses = ['True', 'False', 'Unknown'] as const;

export const MemberRoles = ['primary', 'standby', 'pending', 'cascade', 'unknown'] as const;

export const OperationTypes = ['failover', 'switchover', 'rebuild', 'scaleIn', 'rollingUpdate', 'restore'] as const;
