// The spec the reconciler works from: schema defaults plus the defaults 2.0's reconciler derived
// from other fields or from "zero means default", which a schema default cannot express. Nothing
// here is written back to the object (2.0 rewrote the whole spec; we never touch it).
import { effectiveStorageClass } from './rules.ts';
import type { DefaultedSpec } from './schema-defaults.ts';
import type { IpNodeEntry } from './spec.ts';
import { ScheduleDefaults, SpecDefaults, type LocalRoles, type NetworkClasses } from './values.ts';

/** A spec that passed validation: the fields 2.0 requires are present. */
export type ValidSpec = DefaultedSpec & Required<Pick<DefaultedSpec, 'image' | 'readport' | 'writeport' | 'iplist'>>;

/** Where the initial database password comes from. */
export type PasswordSource =
  | { readonly kind: 'secretRef'; readonly name: string; readonly key: string }
  /** 2.0's dbpasswd, already base64, copied into the Secret data as is. */
  | { readonly kind: 'legacy'; readonly base64: string }
  /** Neither given: the operator generates one (2.0 used a well-known default instead). */
  | { readonly kind: 'generated' };

export type ResolvedSchedule = {
  readonly processTimeout: number;
  readonly gracePeriod: number;
  readonly toleration: number;
  readonly mostavailabletimeout: number;
  readonly nodes: readonly string[];
  readonly pollingPeriod: number;
  readonly livenessProbePeriod: number;
  readonly readinessProbePeriod: number;
  readonly nodelabels: Readonly<Record<string, string>>;
};

export type ResolvedSpec = {
  readonly image: string;
  readonly sidecarimage: string;
  readonly cpu: string;
  readonly memory: string;
  readonly storage: string;
  readonly sidecarcpu: string;
  readonly sidecarmemory: string;
  readonly sidecarstorage: string;
  readonly readport: number;
  readonly writeport: number;
  readonly dbport: number;
  readonly localrole: (typeof LocalRoles)[number];
  readonly networkclass: (typeof NetworkClasses)[number];
  readonly iplist: readonly IpNodeEntry[];
  readonly remoteiplist: readonly string[];
  /** '' when unset. */
  readonly bandwidth: string;
  /** '' when volumes come from a StorageClass. */
  readonly hostpathroot: string;
  /** '' in hostPath mode. */
  readonly storageclass: string;
  readonly backuppath: string;
  readonly archivelogpath: string;
  readonly password: PasswordSource;
  readonly config: Readonly<Record<string, string>>;
  readonly maintenance: boolean;
  /** '' when unset. */
  readonly restorefile: string;
  readonly scriptconfig: string;
  readonly filebeatconfig: string;
  readonly schedule: ResolvedSchedule;
  readonly customizedenv: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
};

export type ResolveOptions = {
  /** The operator's --pollingPeriod, used when schedule.pollingPeriod is unset or 0 (2.0: 60). */
  readonly pollingPeriodSeconds?: number;
};

const DEFAULT_POLLING_PERIOD_SECONDS = 60;

// 2.0 treats 0 as "unset" for every schedule number.
const orDefault = (value: number | undefined, fallback: number): number => (value === undefined || value === 0 ? fallback : value);

function resolveSchedule(spec: ValidSpec, options: ResolveOptions): ResolvedSchedule {
  const s = spec.schedule;
  return {
    processTimeout: orDefault(s.processTimeout, ScheduleDefaults.processTimeout),
    gracePeriod: orDefault(s.gracePeriod, ScheduleDefaults.gracePeriod),
    toleration: orDefault(s.toleration, ScheduleDefaults.toleration),
    mostavailabletimeout: orDefault(s.mostavailabletimeout, ScheduleDefaults.mostavailabletimeout),
    nodes: s.nodes ?? [],
    pollingPeriod: orDefault(s.pollingPeriod, options.pollingPeriodSeconds ?? DEFAULT_POLLING_PERIOD_SECONDS),
    livenessProbePeriod: orDefault(s.livenessProbePeriod, ScheduleDefaults.livenessProbePeriod),
    readinessProbePeriod: orDefault(s.readinessProbePeriod, ScheduleDefaults.readinessProbePeriod),
    nodelabels: s.nodelabels ?? {},
  };
}

function resolvePassword(spec: ValidSpec): PasswordSource {
  if (spec.passwordSecretRef !== undefined) {
    return { kind: 'secretRef', name: spec.passwordSecretRef.name, key: spec.passwordSecretRef.key ?? SpecDefaults.passwordSecretKey };
  }
  return spec.dbpasswd !== undefined && spec.dbpasswd !== '' ? { kind: 'legacy', base64: spec.dbpasswd } : { kind: 'generated' };
}

const nonEmpty = (map: Readonly<Record<string, string>> | undefined, fallback: Readonly<Record<string, string>>) =>
  map === undefined || Object.keys(map).length === 0 ? fallback : map;

/** The fully resolved spec of a validated cluster. Quantities come out as strings (`cpu: 2` → '2'). */
export function resolveDefaults(spec: ValidSpec, options: ResolveOptions = {}): ResolvedSpec {
  return {
    image: spec.image,
    sidecarimage: spec.sidecarimage !== undefined && spec.sidecarimage !== '' ? spec.sidecarimage : spec.image,
    cpu: String(spec.cpu),
    memory: String(spec.memory),
    storage: String(spec.storage),
    sidecarcpu: String(spec.sidecarcpu),
    sidecarmemory: String(spec.sidecarmemory),
    sidecarstorage: String(spec.sidecarstorage),
    readport: spec.readport,
    writeport: spec.writeport,
    dbport: spec.dbport,
    localrole: spec.localrole,
    networkclass: spec.networkclass ?? 'calico',
    iplist: spec.iplist,
    remoteiplist: spec.remoteiplist ?? [],
    bandwidth: spec.bandwidth ?? '',
    hostpathroot: spec.hostpathroot ?? '',
    storageclass: effectiveStorageClass(spec),
    backuppath: spec.backuppath,
    archivelogpath: spec.archivelogpath,
    password: resolvePassword(spec),
    config: spec.config ?? {},
    maintenance: spec.maintenance,
    restorefile: spec.restorefile ?? '',
    scriptconfig: spec.scriptconfig,
    filebeatconfig: spec.filebeatconfig,
    schedule: resolveSchedule(spec, options),
    customizedenv: nonEmpty(spec.customizedenv, SpecDefaults.customizedenv),
    annotations: spec.annotations ?? {},
    labels: spec.labels ?? {},
  };
}
