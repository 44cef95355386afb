// Admission rules that a plain OpenAPI schema cannot say: cross-field rules, immutability, grow-only
// sizes, uniqueness, IP and quantity checks. Each is CEL for the apiserver plus a TypeScript twin for
// the in-process validator; fixtures/admission-cases.ts proves both reject the same manifests.
//
// Compatibility with openGauss-operator 2.0 objects: the apiserver ratchets (an unchanged invalid
// value stays accepted on update), so adopted objects keep taking status writes whatever these rules
// say (test/integration/crd-ratchet.test.ts). The fields 2.0's reconciler requires are required here
// by CEL rather than OpenAPI `required`: a missing required property is a blocking error, after which
// the apiserver skips every CEL rule and reports nothing else; a CEL rule is reported together with
// the other problems and says why the field is needed.
import { isIPv4 } from './ipv4.ts';
import { compareQuantityText } from './quantity.ts';
import type { AdmissionRule, CelValidation } from './rule-kit.ts';
import { RuleReason, creationRule, rule, toCelValidation, transitionRule } from './rule-kit.ts';
import type { ClusterSpec, IpNodeEntry } from './spec.ts';

type Spec = ClusterSpec;
type QuantityValue = string | number;
type Root = { readonly metadata?: { readonly name?: string }; readonly spec?: Spec };

const RESERVED_ENV = ['og_OG_PASSWORD', 'og_MY_POD_IP', 'sidecar_CR_NAME', 'sidecar_MY_POD_IP'] as const;
const BASE64 = '^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$';
const BANDWIDTH = '^[0-9]+([.][0-9]+)?[MGT]$';
const BACKUP_FILE = '^[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*$';
const DEFAULT_STORAGE_CLASS = 'topolvm-provisioner';

const set = (s: string | undefined): s is string => s !== undefined && s !== '';
const celSet = (v: string, field: string) => `(has(${v}.${field}) && ${v}.${field} != '')`;
const celIPv4 = (v: string) => `isIP(${v}) && ip(${v}).family() == 4`;
const isKubeOvn = (s: Spec) => s.networkclass === 'kube-ovn';

/** The StorageClass the reconciler uses: explicit, none under hostPath, else 2.0's default. */
export function effectiveStorageClass(spec: Pick<Spec, 'storageclass' | 'hostpathroot'>): string {
  if (set(spec.storageclass)) return spec.storageclass;
  return set(spec.hostpathroot) ? '' : DEFAULT_STORAGE_CLASS;
}

const celEffectiveStorageClass = (v: string) =>
  `(${celSet(v, 'storageclass')} ? ${v}.storageclass : (${celSet(v, 'hostpathroot')} ? '' : '${DEFAULT_STORAGE_CLASS}'))`;

const requiredRules: readonly AdmissionRule[] = [
  rule<Spec>({
    id: 'image-required', at: '/spec', field: '/image', reason: RuleReason.Required,
    cel: celSet('self', 'image'),
    message: 'image is required',
  }, (s) => set(s.image)),
  rule<Spec>({
    id: 'readport-required', at: '/spec', field: '/readport', reason: RuleReason.Required,
    cel: 'has(self.readport)',
    message: 'readport is required: the NodePort of the read Service',
  }, (s) => s.readport !== undefined),
  rule<Spec>({
    id: 'writeport-required', at: '/spec', field: '/writeport', reason: RuleReason.Required,
    cel: 'has(self.writeport)',
    message: 'writeport is required: the NodePort of the write Service',
  }, (s) => s.writeport !== undefined),
  rule<Spec>({
    id: 'iplist-required', at: '/spec', field: '/iplist', reason: RuleReason.Required,
    cel: 'has(self.iplist) && size(self.iplist) > 0',
    message: 'iplist is required: list at least one member',
  }, (s) => (s.iplist?.length ?? 0) > 0),
  // 2.0 requires networkclass on new objects only; older objects without it run calico.
  creationRule<Spec>({
    id: 'networkclass-required', at: '/spec', field: '/networkclass',
    cel: 'oldSelf.hasValue() || has(self.networkclass)',
    message: 'networkclass is required for a new cluster: calico or kube-ovn',
  }, (s, old) => old !== undefined || s.networkclass !== undefined),
];

const crossFieldRules: readonly AdmissionRule[] = [
  rule<Spec>({
    id: 'ports-distinct', at: '/spec', field: '/writeport',
    cel: '!has(self.readport) || !has(self.writeport) || self.readport != self.writeport',
    message: 'writeport must differ from readport',
  }, (s) => s.readport === undefined || s.readport !== s.writeport),
  rule<Spec>({
    id: 'hostpathroot-excludes-storageclass', at: '/spec', field: '/storageclass', reason: RuleReason.Forbidden,
    cel: `!${celSet('self', 'hostpathroot')} || !${celSet('self', 'storageclass')}`,
    message: 'storageclass must be empty when hostpathroot is set: hostPath volumes use no StorageClass',
  }, (s) => !set(s.hostpathroot) || !set(s.storageclass)),
  rule<Spec>({
    id: 'standby-requires-remoteiplist', at: '/spec', field: '/remoteiplist', reason: RuleReason.Required,
    cel: "!has(self.localrole) || self.localrole != 'standby' || (has(self.remoteiplist) && size(self.remoteiplist) > 0)",
    message: 'remoteiplist is required when localrole is standby: list the pod IPs of the primary site',
  }, (s) => s.localrole !== 'standby' || (s.remoteiplist?.length ?? 0) > 0),
  rule<Spec>({
    id: 'extendip-requires-kube-ovn', at: '/spec', field: '/iplist', reason: RuleReason.Forbidden,
    cel: `(has(self.networkclass) && self.networkclass == 'kube-ovn') || !has(self.iplist) || self.iplist.all(m, !${celSet('m', 'extendip')})`,
    message: 'iplist[].extendip needs networkclass kube-ovn: calico pods have one network interface',
  }, (s) => isKubeOvn(s) || (s.iplist ?? []).every((m) => !set(m.extendip))),
  rule<Spec>({
    id: 'placement-requires-kube-ovn', at: '/spec', field: '/schedule', reason: RuleReason.Forbidden,
    cel: "(has(self.networkclass) && self.networkclass == 'kube-ovn') || !has(self.schedule) || ((!has(self.schedule.nodes) || size(self.schedule.nodes) == 0) && (!has(self.schedule.nodelabels) || size(self.schedule.nodelabels) == 0))",
    message: 'schedule.nodes and schedule.nodelabels need networkclass kube-ovn: under calico, iplist[].nodename places each pod',
  }, (s) => isKubeOvn(s) || ((s.schedule?.nodes?.length ?? 0) === 0 && Object.keys(s.schedule?.nodelabels ?? {}).length === 0)),
  rule<Spec>({
    id: 'members-fit-replconninfo', at: '/spec', field: '/remoteiplist',
    cel: '(has(self.iplist) ? size(self.iplist) : 0) + (has(self.remoteiplist) ? size(self.remoteiplist) : 0) <= 9',
    message: 'iplist and remoteiplist together list at most 9 members: each openGauss member has 8 replconninfo slots for its peers',
  }, (s) => (s.iplist?.length ?? 0) + (s.remoteiplist?.length ?? 0) <= 9),
  rule<Spec>({
    id: 'remote-ips-not-local', at: '/spec', field: '/remoteiplist',
    cel: '!has(self.remoteiplist) || !has(self.iplist) || self.remoteiplist.all(r, !self.iplist.exists(m, m.ip == r))',
    message: 'remoteiplist must not repeat an iplist ip: remote members belong to the other site',
  }, (s) => (s.remoteiplist ?? []).every((r) => !(s.iplist ?? []).some((m) => m.ip === r))),
  rule<Spec>({
    id: 'one-password-source', at: '/spec', field: '/passwordSecretRef', reason: RuleReason.Forbidden,
    cel: `!${celSet('self', 'dbpasswd')} || !has(self.passwordSecretRef)`,
    message: 'set passwordSecretRef or the deprecated dbpasswd, not both',
  }, (s) => !set(s.dbpasswd) || s.passwordSecretRef === undefined),
];

// Empty and absent mean the same for these strings, as in 2.0 (Go zero values).
const celOr = (v: string, field: string, fallback: string) => `(has(${v}.${field}) ? ${v}.${field} : '${fallback}')`;

const immutableRules: readonly AdmissionRule[] = [
  transitionRule<Spec>({
    id: 'storageclass-immutable', at: '/spec', field: '/storageclass',
    cel: `${celEffectiveStorageClass('self')} == ${celEffectiveStorageClass('oldSelf')}`,
    message: 'storageclass is immutable: the volumes keep the class they were made with (unset means topolvm-provisioner unless hostpathroot is set)',
  }, (s, o) => effectiveStorageClass(s) === effectiveStorageClass(o)),
  transitionRule<Spec>({
    id: 'hostpathroot-immutable', at: '/spec', field: '/hostpathroot',
    cel: `${celOr('self', 'hostpathroot', '')} == ${celOr('oldSelf', 'hostpathroot', '')}`,
    message: 'hostpathroot is immutable: the hostPath volumes live there',
  }, (s, o) => (s.hostpathroot ?? '') === (o.hostpathroot ?? '')),
  transitionRule<Spec>({
    id: 'networkclass-immutable', at: '/spec', field: '/networkclass',
    cel: `${celOr('self', 'networkclass', 'calico')} == ${celOr('oldSelf', 'networkclass', 'calico')}`,
    message: 'networkclass is immutable (unset means calico, as for clusters made before 2.0)',
  }, (s, o) => (s.networkclass ?? 'calico') === (o.networkclass ?? 'calico')),
  transitionRule<number>({
    id: 'dbport-immutable', at: '/spec/dbport',
    cel: 'self == oldSelf',
    message: 'dbport is immutable: replication and the Services are built on it',
  }, (s, o) => s === o),
  transitionRule<string>({
    id: 'dbpasswd-immutable', at: '/spec/dbpasswd',
    cel: 'self == oldSelf',
    message: 'dbpasswd is immutable: it only seeds the initial password (move to passwordSecretRef instead)',
  }, (s, o) => s === o),
];

const growOnly = (id: string, at: string, name: string) =>
  transitionRule<QuantityValue>({
    id, at,
    cel: '!isQuantity(string(self)) || !isQuantity(string(oldSelf)) || quantity(string(self)).compareTo(quantity(string(oldSelf))) >= 0',
    message: `${name} may grow but never shrink: a PVC cannot be made smaller`,
  }, (s, o) => (compareQuantityText(s, o) ?? 0) >= 0);

const atLeast = (id: string, at: string, name: string, minimum: string) =>
  rule<QuantityValue>({
    id, at,
    cel: `!isQuantity(string(self)) || quantity(string(self)).compareTo(quantity('${minimum}')) >= 0`,
    message: `${name} must be at least ${minimum}, the container's request`,
  }, (s) => (compareQuantityText(s, minimum) ?? 0) >= 0);

const quantityRules: readonly AdmissionRule[] = [
  growOnly('storage-grow-only', '/spec/storage', 'storage'),
  growOnly('sidecarstorage-grow-only', '/spec/sidecarstorage', 'sidecarstorage'),
  atLeast('cpu-minimum', '/spec/cpu', 'cpu', '500m'),
  atLeast('memory-minimum', '/spec/memory', 'memory', '2Gi'),
  atLeast('sidecarcpu-minimum', '/spec/sidecarcpu', 'sidecarcpu', '200m'),
  atLeast('sidecarmemory-minimum', '/spec/sidecarmemory', 'sidecarmemory', '500Mi'),
];

const absolute = (id: string, at: string, name: string, emptyAllowed: boolean) =>
  rule<string>({
    id, at,
    cel: emptyAllowed ? "self == '' || self.startsWith('/')" : "self.startsWith('/')",
    message: `${name} must be an absolute path`,
  }, (s) => (emptyAllowed && s === '') || s.startsWith('/'));

const uniqueIps = (m: readonly IpNodeEntry[]) => new Set(m.map((e) => e.ip)).size === m.length;
const uniqueExtendIps = (m: readonly IpNodeEntry[]) => {
  const extend = m.map((e) => e.extendip).filter(set);
  return new Set(extend).size === extend.length;
};

const formatRules: readonly AdmissionRule[] = [
  absolute('hostpathroot-absolute', '/spec/hostpathroot', 'hostpathroot', true),
  absolute('backuppath-absolute', '/spec/backuppath', 'backuppath', false),
  absolute('archivelogpath-absolute', '/spec/archivelogpath', 'archivelogpath', false),
  rule<string>({
    id: 'ip-is-ipv4', at: '/spec/iplist/*/ip',
    cel: celIPv4('self'),
    message: 'ip must be an IPv4 address such as 192.170.0.110',
  }, isIPv4),
  rule<string>({
    id: 'extendip-is-ipv4', at: '/spec/iplist/*/extendip',
    cel: `self == '' || (${celIPv4('self')})`,
    message: 'extendip must be an IPv4 address',
  }, (s) => s === '' || isIPv4(s)),
  rule<string>({
    id: 'remote-ip-is-ipv4', at: '/spec/remoteiplist/*',
    cel: celIPv4('self'),
    message: 'remoteiplist items must be IPv4 addresses',
  }, isIPv4),
  rule<readonly IpNodeEntry[]>({
    id: 'iplist-unique-ips', at: '/spec/iplist',
    cel: 'self.all(a, self.exists_one(b, b.ip == a.ip))',
    message: 'iplist ip values must be unique: the IP names the pod',
  }, uniqueIps),
  rule<readonly IpNodeEntry[]>({
    id: 'iplist-unique-extendips', at: '/spec/iplist',
    cel: `self.all(a, !${celSet('a', 'extendip')} || self.exists_one(b, has(b.extendip) && b.extendip == a.extendip))`,
    message: 'iplist extendip values must be unique',
  }, uniqueExtendIps),
  rule<readonly string[]>({
    id: 'remoteiplist-unique', at: '/spec/remoteiplist',
    cel: 'self.all(a, self.exists_one(b, b == a))',
    message: 'remoteiplist values must be unique',
  }, (s) => new Set(s).size === s.length),
  rule<string>({
    id: 'bandwidth-units', at: '/spec/bandwidth',
    cel: `self == '' || self.matches('${BANDWIDTH}')`,
    message: 'bandwidth must be a number with unit M, G or T (bits per second), such as 100M',
  }, (s) => s === '' || new RegExp(BANDWIDTH).test(s)),
  rule<string>({
    id: 'dbpasswd-base64', at: '/spec/dbpasswd',
    cel: `self.matches('${BASE64}')`,
    message: 'dbpasswd must be base64-encoded (it is copied into the Secret data as is)',
  }, (s) => new RegExp(BASE64).test(s)),
  rule<string>({
    id: 'restorefile-name', at: '/spec/restorefile',
    cel: `self == '' || self.matches('${BACKUP_FILE}')`,
    message: 'restorefile must be a relative file name under /gaussdata/backup: letters, digits, . _ - and /, no leading dot',
  }, (s) => s === '' || new RegExp(BACKUP_FILE).test(s)),
  rule<Record<string, string>>({
    id: 'customizedenv-prefix', at: '/spec/customizedenv',
    cel: "self.all(k, k.contains('og_') || k.contains('sidecar_'))",
    message: 'customizedenv keys must carry og_ or sidecar_, which picks the container',
  }, (s) => Object.keys(s).every((k) => k.includes('og_') || k.includes('sidecar_'))),
  rule<Record<string, string>>({
    id: 'customizedenv-reserved', at: '/spec/customizedenv', reason: RuleReason.Forbidden,
    cel: `![${RESERVED_ENV.map((k) => `'${k}'`).join(', ')}].exists(k, k in self)`,
    message: `customizedenv must not set ${RESERVED_ENV.join(', ')}: the operator sets them`,
  }, (s) => RESERVED_ENV.every((k) => !(k in s))),
];

// A pod name og-<name>-pod-<ip> (ip up to 15 characters) is a label value on its PVCs (pod=...),
// and in hostPath mode pv=<pod>-data labels its PV: label values hold at most 63 characters, which
// leaves 40 (35) characters for the name. Checked on create only: name and hostpathroot never change
// afterwards, and an adopted object must stay writable whatever its name (a root-level rule would
// otherwise run again on every status write).
const NAME_MAX = 40;
const HOSTPATH_NAME_MAX = 35;
const rootRules: readonly AdmissionRule[] = [
  creationRule<Root>({
    id: 'name-length', at: '', field: '/metadata/name', reason: RuleReason.Invalid,
    cel: `oldSelf.hasValue() || size(self.metadata.name) <= ${NAME_MAX}`,
    message: `metadata.name must be at most ${NAME_MAX} characters: the pod name og-<name>-pod-<ip> labels its PVCs and must fit in 63`,
  }, (r, old) => old !== undefined || (r.metadata?.name ?? '').length <= NAME_MAX),
  creationRule<Root>({
    id: 'hostpath-name-length', at: '', field: '/metadata/name', reason: RuleReason.Invalid,
    cel: `oldSelf.hasValue() || !has(self.spec) || !${celSet('self.spec', 'hostpathroot')} || size(self.metadata.name) <= ${HOSTPATH_NAME_MAX}`,
    message: `metadata.name must be at most ${HOSTPATH_NAME_MAX} characters with hostpathroot: the PV label pv=og-<name>-pod-<ip>-data must fit in 63`,
  }, (r, old) => old !== undefined || !set(r.spec?.hostpathroot) || (r.metadata?.name ?? '').length <= HOSTPATH_NAME_MAX),
];

export const admissionRules: readonly AdmissionRule[] = [
  ...rootRules, ...requiredRules, ...crossFieldRules, ...immutableRules, ...quantityRules, ...formatRules,
];

/** Schema options carrying the CEL rules attached at `pointer` (nothing when there are none). */
export function celAt(pointer: string): { 'x-kubernetes-validations'?: CelValidation[] } {
  const here = admissionRules.filter((r) => r.at === pointer).map(toCelValidation);
  return here.length === 0 ? {} : { 'x-kubernetes-validations': here };
}
