// The only barrel of the project: the opengauss.sig/v1 API as the rest of the operator sees it.
export { OpenGaussClusterResource, API_GROUP, API_VERSION } from './resource.ts';
export { ClusterSpec, IpNodeEntry, ScheduleConfig, PasswordSecretRef, SpecDefaults, ScheduleDefaults, LocalRoles, NetworkClasses, MAX_MEMBERS } from './spec.ts';
export { ClusterStatus, Condition, MemberStatus, OperationStatus, MemberRoles, OperationTypes, ConditionStatuses } from './status.ts';
export { OpenGaussCluster } from './cluster.ts';
export { applySchemaDefaults, type DefaultedSpec } from './schema-defaults.ts';
export { resolveDefaults, type ResolvedSpec, type ResolvedSchedule, type PasswordSource, type ValidSpec, type ResolveOptions } from './resolve-defaults.ts';
export { validateCluster, formatIssues, type ValidationIssue, type ValidationResult, type ClusterInput } from './validate.ts';
export { admissionRules, effectiveStorageClass } from './rules.ts';
export type { AdmissionRule } from './rule-kit.ts';
export { buildCustomResourceDefinition, buildOpenApiSchema, type JsonObject, type JsonValue } from './crd.ts';
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
