// Container paths of openGauss-operator 2.0's pod layout (seed-operator.md §3.3, §3.4). The image
// contract fixes PGDATA and GAUSSLOG; the mounts put the data PVC (subPath db1) and the log PVC
// (subPath log) under them. The in-pod scripts use the same paths.
export const OgPaths = {
  /** Data PVC mount (subPath db1); PGDATA is db1 inside it. */
  dataMount: '/gaussdata/openGauss',
  dataSubPath: 'db1',
  pgdata: '/gaussdata/openGauss/db1',
  /** Log PVC mount (subPath log); GAUSSLOG is log/omm inside it. */
  logMount: '/gaussarch',
  logSubPath: 'log',
  gausslog: '/gaussarch/log/omm',
  backup: '/gaussdata/backup',
  archive: '/gaussdata/archive',
  files: '/gauss/files',
  /** og-<cluster>-cm, the scripts and baseline configuration. */
  scripts: '/gauss/files/cm-mnt',
  /** The shared job-script ConfigMap (spec.scriptconfig). */
  jobScripts: '/gauss/files/script',
  sharedir: '/gauss/files/sharedir',
  initSharedir: '/mnt/sharedir',
  /** The shared filebeat ConfigMap (spec.filebeatconfig), in the sidecar. */
  filebeat: '/opt/filebeat/opengauss',
  /** Present while the operator (or a fresh start) keeps the member hands-off. */
  maintenanceFlag: '/gauss/files/maintenance',
  /** Where the root init container sees each volume's root. */
  permissionsRoot: '/mnt/og',
} as const;

/** Keys of og-<cluster>-cm: the in-pod scripts and the configuration files they apply. */
export const ScriptKey = {
  InitEnv: 'k8s-initenv.sh',
  Entrypoint: 'og.entrypoint.sh',
  Probe: 'K8SChkRepl.sh',
  Sidecar: 'sidecar.entrypoint.sh',
  Restore: 'og-restore.sh',
  Liveness: 'og-liveness.sh',
  PreStop: 'og-prestop.sh',
  VolumePermissions: 'volume-permissions.sh',
  Library: 'og-lib.sh',
  BaselineConf: 'postgres-cm.conf',
  UserConf: 'postgres-user.conf',
} as const;
export type ScriptKey = (typeof ScriptKey)[keyof typeof ScriptKey];

/** The path of a key of og-<cluster>-cm inside the og, initenv and sidecar containers. */
export function scriptPath(key: ScriptKey): string {
  return `${OgPaths.scripts}/${key}`;
}
