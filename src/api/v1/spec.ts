// The OpenGaussCluster spec: every field of openGauss-operator 2.0 under its 2.0 JSON name and
// meaning, plus additive lowerCamelCase fields. Schema defaults are the values 2.0's reconciler
// wrote back; defaults that depend on other fields (sidecarimage, storageclass, networkclass of
// pre-2.0 objects) are left to resolveDefaults, since a schema default cannot look sideways.
// docs/api.md explains each choice; rules.ts holds the cross-field (CEL) rules attached here.
import Type from 'typebox';
import type { Static } from 'typebox';
import { IPV4_MAX_LENGTH } from './ipv4.ts';
import { celAt } from './rules.ts';
import { Int32, Int64, Quantity, StringEnum, StringMap } from './schema-helpers.ts';
import { LocalRoles, MAX_MEMBERS, NetworkClasses, ScheduleDefaults, SpecDefaults } from './values.ts';

const NAME_MAX = 253;
const PATH_MAX = 1024;
const IMAGE_MAX = 512;

const ipv4 = (description: string, at: string) =>
  Type.String({ description, maxLength: IPV4_MAX_LENGTH, ...celAt(at) });

export const IpNodeEntry = Type.Object({
  ip: ipv4('Pod IP of the member (IPv4). It is the member\'s identity: the pod is og-<cluster>-pod-<ip with . as x>.', '/spec/iplist/*/ip'),
  nodename: Type.Optional(Type.String({
    description: 'Node hostname. Under calico it becomes a required hostname affinity; in hostPath mode it is the PV node affinity.',
    maxLength: NAME_MAX,
  })),
  extendip: Type.Optional(ipv4('Second-NIC IP (IPv4), kube-ovn only. Empty means none.', '/spec/iplist/*/extendip')),
}, { description: 'One member of the cluster.' });
export type IpNodeEntry = Static<typeof IpNodeEntry>;

export const ScheduleConfig = Type.Object({
  processTimeout: Type.Optional(Int32({ minimum: 0, default: ScheduleDefaults.processTimeout, description: 'Seconds to wait for a pod or a status write before giving up on a step. 0 means the default, 300.' })),
  gracePeriod: Type.Optional(Int64({ minimum: 0, default: ScheduleDefaults.gracePeriod, description: 'Pod terminationGracePeriodSeconds. 0 means the default, 30.' })),
  toleration: Type.Optional(Int64({ minimum: 0, default: ScheduleDefaults.toleration, description: 'tolerationSeconds of the not-ready and unreachable NoExecute tolerations. 0 means the default, 300.' })),
  mostavailabletimeout: Type.Optional(Int32({ minimum: 0, default: ScheduleDefaults.mostavailabletimeout, description: 'Seconds short of Sync standbys before most_available_sync is turned on. 0 means the default, 60.' })),
  nodes: Type.Optional(Type.Array(Type.String({ maxLength: NAME_MAX }), {
    description: 'kube-ovn only: hostnames the pods may run on (required node affinity).',
    maxItems: 64,
  })),
  pollingPeriod: Type.Optional(Int64({ minimum: 0, description: 'Seconds between health checks of a healthy cluster. Unset or 0: the operator flag --pollingPeriod (default 60).' })),
  livenessProbePeriod: Type.Optional(Int32({ minimum: 0, default: ScheduleDefaults.livenessProbePeriod, description: 'periodSeconds of the og container liveness probe. 0 means the default, 30.' })),
  readinessProbePeriod: Type.Optional(Int32({ minimum: 0, default: ScheduleDefaults.readinessProbePeriod, description: 'periodSeconds of the og container readiness probe. 0 means the default, 30. A change recreates the pods.' })),
  nodelabels: Type.Optional(StringMap({ description: 'kube-ovn only: nodeSelector of the pods.', maxProperties: 32, values: { maxLength: 63 } })),
}, { description: 'Timeouts, probes and placement. A zero value means the default, as in 2.0.', default: {} });
export type ScheduleConfig = Static<typeof ScheduleConfig>;

export const PasswordSecretRef = Type.Object({
  name: Type.String({ description: 'Name of a Secret in the cluster\'s namespace.', minLength: 1, maxLength: NAME_MAX }),
  key: Type.Optional(Type.String({ description: 'Key of the password in the Secret.', minLength: 1, maxLength: NAME_MAX, default: SpecDefaults.passwordSecretKey })),
}, { description: 'Secret holding the initial database password (plain text in the Secret data). Replaces dbpasswd.' });
export type PasswordSecretRef = Static<typeof PasswordSecretRef>;

const quantity = (description: string, defaultValue: string, at: string) =>
  Type.Optional(Quantity({ description, default: defaultValue, ...celAt(at) }));

const resources = {
  cpu: quantity('CPU limit of the og container (request 500m, also the minimum). A change recreates the pods one by one.', SpecDefaults.cpu, '/spec/cpu'),
  memory: quantity('Memory limit of the og container (request 2Gi, also the minimum). A change recreates the pods one by one.', SpecDefaults.memory, '/spec/memory'),
  storage: quantity('Size of each member\'s data PVC. It may grow, never shrink.', SpecDefaults.storage, '/spec/storage'),
  sidecarcpu: quantity('CPU limit of the sidecar container (request and minimum 200m).', SpecDefaults.sidecarcpu, '/spec/sidecarcpu'),
  sidecarmemory: quantity('Memory limit of the sidecar container (request and minimum 500Mi).', SpecDefaults.sidecarmemory, '/spec/sidecarmemory'),
  sidecarstorage: quantity('Size of each member\'s log PVC. It may grow, never shrink.', SpecDefaults.sidecarstorage, '/spec/sidecarstorage'),
};

const nodePort = (description: string) => Int32({ description, minimum: 30000, maximum: 32767 });

const networking = {
  readport: Type.Optional(nodePort('NodePort of the read Service og-<cluster>-svc-read (standbys). Required; 30000-32767.')),
  writeport: Type.Optional(nodePort('NodePort of the write Service og-<cluster>-svc (primary). Required; 30000-32767; differs from readport.')),
  dbport: Type.Optional(Int32({
    description: 'Database port P; replication uses P+1, P+4 and P+5, so P is at most 65530. Immutable.',
    minimum: 1, maximum: 65530, default: SpecDefaults.dbport, ...celAt('/spec/dbport'),
  })),
  networkclass: Type.Optional(StringEnum(NetworkClasses, {
    description: 'Pod network: calico or kube-ovn. Required for a new cluster; objects from before 2.0 without it mean calico. Immutable.',
  })),
  iplist: Type.Optional(Type.Array(IpNodeEntry, {
    description: 'Members, in order (the first ready member of a new cluster becomes primary). Required. Adding an entry scales out, removing one scales in. At most 9 (openGauss replconninfo slots).',
    maxItems: MAX_MEMBERS,
    'x-kubernetes-list-type': 'atomic',
    ...celAt('/spec/iplist'),
  })),
  remoteiplist: Type.Optional(Type.Array(Type.String({ maxLength: IPV4_MAX_LENGTH, ...celAt('/spec/remoteiplist/*') }), {
    description: 'Pod IPs of the peer cluster of an intracity pair. Required when localrole is standby.',
    maxItems: MAX_MEMBERS - 1,
    'x-kubernetes-list-type': 'atomic',
    ...celAt('/spec/remoteiplist'),
  })),
  bandwidth: Type.Optional(Type.String({
    description: 'Pod ingress and egress bandwidth, a number with unit M, G or T (bits per second), such as 100M.',
    maxLength: 32, ...celAt('/spec/bandwidth'),
  })),
};

const storage = {
  hostpathroot: Type.Optional(Type.String({
    description: 'Absolute root of static hostPath PVs (<root>/<namespace>/<cluster>/<pod>/<data|log>). Excludes storageclass. Immutable.',
    maxLength: PATH_MAX, ...celAt('/spec/hostpathroot'),
  })),
  storageclass: Type.Optional(Type.String({
    description: 'StorageClass of the PVCs. Unset and without hostpathroot: topolvm-provisioner (applied by the operator, not stored). Excludes hostpathroot. Immutable.',
    maxLength: NAME_MAX,
  })),
  backuppath: Type.Optional(Type.String({
    description: 'Absolute hostPath root of backups (<path>/<namespace>/<cluster>, mounted at /gaussdata/backup).',
    maxLength: PATH_MAX, default: SpecDefaults.backuppath, ...celAt('/spec/backuppath'),
  })),
  archivelogpath: Type.Optional(Type.String({
    description: 'Absolute hostPath root of archived WAL (<path>/<namespace>/<cluster>/<pod>, mounted at /gaussdata/archive).',
    maxLength: PATH_MAX, default: SpecDefaults.archivelogpath, ...celAt('/spec/archivelogpath'),
  })),
};

const images = {
  image: Type.Optional(Type.String({ description: 'openGauss image of the initenv and og containers. Required. A change recreates the pods one by one.', maxLength: IMAGE_MAX })),
  sidecarimage: Type.Optional(Type.String({ description: 'Image of the sidecar container. Unset: the value of image.', maxLength: IMAGE_MAX })),
};

const database = {
  localrole: Type.Optional(StringEnum(LocalRoles, {
    description: 'Role of this cluster in an intracity pair: primary, or standby (never elects a primary; needs remoteiplist).',
    default: SpecDefaults.localrole,
  })),
  dbpasswd: Type.Optional(Type.String({
    description: 'Deprecated: use passwordSecretRef. Initial password, already base64-encoded, copied into the Secret <cluster>-init-sc. Kept for 2.0 manifests. Immutable.',
    maxLength: 256, ...celAt('/spec/dbpasswd'),
  })),
  passwordSecretRef: Type.Optional(PasswordSecretRef),
  config: Type.Optional(StringMap({
    description: 'openGauss parameters (GUCs) as written after = in postgresql.conf: string values carry their own quotes, e.g. \'\'\'/path\'\'\' in YAML.',
    maxProperties: 256, values: { maxLength: 4096 },
  })),
  maintenance: Type.Optional(Type.Boolean({ description: 'Hands-off mode: while true the operator leaves the cluster alone, healthy or not.', default: SpecDefaults.maintenance })),
  restorefile: Type.Optional(Type.String({
    description: 'Backup file under /gaussdata/backup to restore; setting or changing it starts a restore.',
    maxLength: PATH_MAX, ...celAt('/spec/restorefile'),
  })),
};

const pods = {
  scriptconfig: Type.Optional(Type.String({ description: 'Name of the shared job-script ConfigMap, created if missing.', minLength: 1, maxLength: NAME_MAX, default: SpecDefaults.scriptconfig })),
  filebeatconfig: Type.Optional(Type.String({ description: 'Name of the shared filebeat ConfigMap, created if missing.', minLength: 1, maxLength: NAME_MAX, default: SpecDefaults.filebeatconfig })),
  schedule: Type.Optional(ScheduleConfig),
  customizedenv: Type.Optional(StringMap({
    description: 'Extra environment variables. The og_ or sidecar_ prefix picks the container and is stripped. Empty: {og_MONITOR_TYPE: OPENGAUSS}.',
    maxProperties: 64, values: { maxLength: 4096 }, default: SpecDefaults.customizedenv, ...celAt('/spec/customizedenv'),
  })),
  annotations: Type.Optional(StringMap({ description: 'Annotations copied onto the pods (kube-ovn network annotations go here).', maxProperties: 64, values: { maxLength: 16384 } })),
  labels: Type.Optional(StringMap({ description: 'Labels copied onto the pods.', maxProperties: 64, values: { maxLength: 63 } })),
};

export const ClusterSpec = Type.Object({
  ...resources,
  ...images,
  ...networking,
  ...storage,
  ...database,
  ...pods,
}, { description: 'Desired state of an openGauss cluster (fields and meaning of openGauss-operator 2.0).', ...celAt('/spec') });
export type ClusterSpec = Static<typeof ClusterSpec>;
