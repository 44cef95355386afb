// The vocabulary of a reconcile pass (house style §3): what the shell observed (Observation), what
// the pure core decides (Action, Intent, EventIntent, Next) and what it found (Findings), which
// derive-status turns into status. Nothing here does I/O; the shell builds observations from its
// caches and probes and executes actions.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ClusterStatus, ConditionReason, EventReason, OperationStatus, ValidationResult } from '../api/v1/index.ts';
import type { GsCtlQuery } from '../domain/gs-ctl-query.ts';
import type { GucSetting } from '../domain/replication.ts';
import type { HbaEntry } from '../domain/pg-hba.ts';

/** The database role a probe saw (K8SChkRepl's flags, gs_ctl query's local_role). */
export type ProbedRole = 'primary' | 'standby' | 'pending' | 'normal' | 'unknown';

/** One member's probe, parsed (src/instance/probe.ts). */
export type MemberProbe = {
  /** A database process exists. */
  readonly process: boolean;
  /** /gauss/files/maintenance exists (fresh pods start with it; the operator clears it). */
  readonly maintenance: boolean;
  /** A gs_ctl command (start, restart, build) works on the data directory right now. */
  readonly busy: boolean;
  /** gs_ctl query timed out against a live process. */
  readonly hang: boolean;
  /** 0 complete, 1 failed, 2 building, 3 none recorded (K8SChkRepl.sh). */
  readonly buildStatus: number;
  readonly role: ProbedRole;
  readonly dbState: string;
  readonly detail: string;
  /** replconninfo1 names this member or the loopback: the member was configured before (2.0's test). */
  readonly wasMember: boolean;
  readonly query: GsCtlQuery | undefined;
};

/** A failed probe is data (house style §3), never an exception. */
export type ProbeOutcome = { readonly ok: true; readonly value: MemberProbe } | { readonly ok: false; readonly error: string };

export type PodView = {
  readonly name: string;
  readonly uid: string;
  readonly phase: string;
  readonly podIp: string | undefined;
  readonly node: string | undefined;
  /** The Ready condition (readiness probe on dbport). */
  readonly ready: boolean;
  readonly deleting: boolean;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Image of the og container. */
  readonly image: string | undefined;
  /** containerID of the og container's current instance, once it has one. */
  readonly ogContainerId: string | undefined;
  /** A container's waiting reason (ErrImagePull, CrashLoopBackOff…), the first found. */
  readonly waitingReason: string | undefined;
};

export type PvcView = { readonly name: string; readonly size: string | undefined; readonly phase: string | undefined };

export type MemberObservation = {
  readonly ip: string;
  readonly nodename: string | undefined;
  readonly pod: PodView | undefined;
  /** Absent when the member was not probed (no running pod) or its probe is pending. */
  readonly probe: ProbeOutcome | undefined;
  /** The og container runs but no probe taken since its last change or action is in yet. */
  readonly probing: boolean;
  readonly dataPvc: PvcView | undefined;
  readonly logPvc: PvcView | undefined;
  /** false only when the node cache is synced and has no Node of that name. */
  readonly nodeExists: boolean;
};

export type ServiceView = { readonly selectorRole: string | undefined; readonly nodePort: number | undefined; readonly port: number | undefined };

/** A write the API server refused in an earlier pass of this generation (kept by the shell). */
export type ApplyFailure = { readonly object: string; readonly kind: 'Service' | 'Pod' | 'Other'; readonly status: number; readonly message: string };

export type Observation = {
  /** Injected clock (ms since epoch). */
  readonly nowMs: number;
  readonly cluster: {
    readonly name: string;
    readonly namespace: string;
    readonly uid: string;
    readonly generation: number;
    /** metadata.creationTimestamp; undefined when the object has none (tests, odd clients). */
    readonly createdAtMs: number | undefined;
    readonly status: ClusterStatus | undefined;
  };
  readonly validation: ValidationResult;
  readonly pollingPeriodSeconds: number;
  /** In iplist order; empty when the spec is invalid. */
  readonly members: readonly MemberObservation[];
  /** Pods of this cluster whose IP is no longer in iplist. */
  readonly strayPods: readonly PodView[];
  readonly services: { readonly write: ServiceView | undefined; readonly read: ServiceView | undefined };
  readonly initSecretPresent: boolean;
  /** The Secret named by passwordSecretRef: 'none' when the spec names none. */
  readonly passwordRef: 'none' | 'present' | 'missing';
  /** data of og-<cr>-cm, undefined when absent. */
  readonly scriptsConfigMapData: Readonly<Record<string, string>> | undefined;
  readonly sharedConfigMaps: { readonly script: boolean; readonly filebeat: boolean };
  /** Member IPs an older cluster already uses, with that cluster's namespace/name. */
  readonly ipConflicts: readonly { readonly ip: string; readonly owner: string }[];
  readonly applyFailures: readonly ApplyFailure[];
};

/** What to run in a member's og container; src/instance/commands.ts turns it into argv. */
export type MemberCommand =
  | { readonly op: 'configure'; readonly settings: readonly GucSetting[]; readonly hba: readonly HbaEntry[] }
  | { readonly op: 'start'; readonly role: 'primary' | 'standby' }
  | { readonly op: 'build' }
  | { readonly op: 'clearMaintenance' };

export type PasswordPlan = { readonly kind: 'secretRef'; readonly name: string; readonly key: string } | { readonly kind: 'legacy'; readonly base64: string } | { readonly kind: 'generated' };

export type Action =
  /** Server-side apply (Pods, Services, og-<cr>-cm). */
  | { readonly kind: 'apply'; readonly object: KubernetesObject }
  /** Create, AlreadyExists is success (PVCs, shared ConfigMaps). */
  | { readonly kind: 'create'; readonly object: KubernetesObject }
  /** The password Secret: the shell fetches or generates the value, so it never enters a decision. */
  | { readonly kind: 'createInitSecret'; readonly password: PasswordPlan }
  | { readonly kind: 'resizePvc'; readonly name: string; readonly size: string }
  | { readonly kind: 'patchPod'; readonly pod: string; readonly patch: object }
  | { readonly kind: 'deletePod'; readonly pod: string; readonly uid: string }
  | { readonly kind: 'exec'; readonly pod: string; readonly ip: string; readonly command: MemberCommand; readonly failReason: EventReason };

/** Written as its own status patch before any action (house style §3: intent first). */
export type Intent = { readonly primary?: string; readonly operation?: OperationStatus | null };

export type EventIntent = { readonly type: 'Normal' | 'Warning'; readonly reason: EventReason; readonly action: string; readonly note: string };

export type Next = { readonly kind: 'continue' } | { readonly kind: 'requeueAfter'; readonly ms: number; readonly why: string } | { readonly kind: 'stop'; readonly why: string };

export type Problem = { readonly reason: ConditionReason; readonly message: string };

/** What steps concluded, for derive-status. */
export type Findings = {
  /** A gate that ended the table: the state it implies. */
  readonly gate?: 'invalid' | 'maintaining' | 'badInput' | 'probing';
  readonly degraded?: Problem;
  readonly progressing?: Problem;
  /** True when the table ran to the end without anything left to do. */
  readonly converged: boolean;
  readonly message?: string;
};

export type StepOutput = {
  readonly actions?: readonly Action[];
  readonly intent?: Intent;
  readonly events?: readonly EventIntent[];
  readonly findings?: Partial<Omit<Findings, 'converged'>>;
  readonly next: Next;
};

export type Decision = {
  readonly intent: Intent | undefined;
  readonly actions: readonly Action[];
  readonly events: readonly EventIntent[];
  readonly next: Next;
  readonly findings: Findings;
  /** Names of the steps that ran, for debug logs. */
  readonly trace: readonly string[];
};
