// The only barrel of the project: the opengauss.sig/v1 API as the rest of the operator sees it.
// The TypeBox schemas (spec.ts, status.ts, cluster.ts, crd.ts) are exported as types only: the
// operator process never loads TypeBox (test/unit/module-footprint.test.ts); schema work (the CRD
// generator, schema tests) imports those files directly.
export { OpenGaussClusterResource, API_GROUP, API_VERSION } from './resource.ts';
export type { ClusterSpec, IpNodeEntry, ScheduleConfig, PasswordSecretRef } from './spec.ts';
export type { ClusterStatus, Condition, MemberStatus, OperationStatus } from './status.ts';
export type { OpenGaussCluster } from './cluster.ts';
export { SpecDefaults, ScheduleDefaults, LocalRoles, NetworkClasses, MAX_MEMBERS, MemberRoles, OperationTypes, ConditionStatuses } from './values.ts';
export { schemaIssues, applyDefaults, type JsonSchema, type SchemaIssue } from './json-schema.ts';
export { applySchemaDefaults, type DefaultedSpec } from './schema-defaults.ts';
export { resolveDefaults, type ResolvedSpec, type ResolvedSchedule, type PasswordSource, type ValidSpec, type ResolveOptions } from './resolve-defaults.ts';
export { validateCluster, formatIssues, type ValidationIssue, type ValidationResult, type ClusterInput } from './validate.ts';
export { admissionRules, effectiveStorageClass } from './rules.ts';
export type { AdmissionRule } from './rule-kit.ts';
export type { JsonObject, JsonValue } from './crd.ts';
export { printerColumns, type PrinterColumn } from './printer-columns.ts';
export { parseQuantity, compareQuantities, compareQuantityText, isQuantity, type Quantity } from './quantity.ts';
export { isIPv4 } from './ipv4.ts';
export { ClusterState, ClusterStates, isClusterState } from './states.ts';
export { ConditionType, ConditionStatus, ConditionReason } from './conditions.ts';
export { EventReason } from './events.ts';
export { Label, APP_LABEL_VALUE, RoleLabelValue, clusterPodSelector } from './labels.ts';
export { Annotation, KERNEL_SEM_SYSCTL, secondNicAnnotations } from './annotations.ts';
export {
  podName, ipFromPodName, pvcName, hostPathPvName, volumeLabelValue, writeServiceName, readServiceName,
  initSecretName, scriptsConfigMapName, legacyConfigMapNames, type PodName, type VolumeKind,
} from './names.ts';
