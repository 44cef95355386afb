// The operator's settings: a type and a JSON Schema of their limits (checked by the API's
// json-schema.ts; the operator process never loads TypeBox), filled from flags,
// then environment variables, then defaults (pure: main.ts passes argv and env in; nothing here
// reads process.env). Flag names follow openGauss-operator 2.0 and kubebuilder so its manifests
// keep working; each flag has an `OGO_*` environment twin for containers configured by env.
import { schemaIssues, type JsonSchema } from '../api/v1/index.ts';
import { parseFlags, type FlagSpec } from './flags.ts';
import { parseBindAddress } from './bind-address.ts';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The Lease the replicas compete for; 2.0 used the same namespace for its StatefulSet. */
export const DEFAULT_OPERATOR_NAMESPACE = 'opengauss-operator-system';
export const DEFAULT_LEASE_NAME = 'opengauss-operator-lock';

export type OperatorSettings = {
  /** Campaign for the Lease; only the leader reconciles. */
  readonly leaderElect: boolean;
  readonly leaderElectionNamespace: string;
  readonly leaderElectionId: string;
  /** Workers: clusters reconciled at once. */
  readonly maxConcurrentReconcile: number;
  /** Requeue period of a healthy cluster. */
  readonly pollingPeriodSeconds: number;
  /** The one namespace watched; absent: all namespaces. */
  readonly watchNamespace?: string;
  /** host:port of /metrics; "0" serves it on the probe address only. */
  readonly metricsBindAddress: string;
  /** host:port of /healthz, /readyz (and /metrics). */
  readonly healthProbeBindAddress: string;
  readonly logLevel: LogLevel;
  /** Kubeconfig file; absent: in-cluster config. */
  readonly kubeconfig?: string;
  /** Deadline of one command run in a member Pod. */
  readonly execTimeoutMs: number;
  /** Background refresh period of each member probe. */
  readonly probePeriodMs: number;
  /** Time passes in progress get to finish on SIGTERM. */
  readonly shutdownTimeoutMs: number;
  /** Leader-election identity prefix and Event reportingInstance. */
  readonly identity: string;
};

const dnsLabel: JsonSchema = { type: 'string', minLength: 1, maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' };
const integer = (minimum: number, maximum: number): JsonSchema => ({ type: 'integer', minimum, maximum });

/** The limits of each setting, checked after flags, env and defaults are merged. */
const settingsSchema: JsonSchema & { readonly properties: Readonly<Record<keyof OperatorSettings, JsonSchema>> } = {
  type: 'object',
  required: ['leaderElect', 'leaderElectionNamespace', 'leaderElectionId', 'maxConcurrentReconcile', 'pollingPeriodSeconds', 'metricsBindAddress', 'healthProbeBindAddress', 'logLevel', 'execTimeoutMs', 'probePeriodMs', 'shutdownTimeoutMs', 'identity'],
  properties: {
    leaderElect: { type: 'boolean' },
    leaderElectionNamespace: dnsLabel,
    leaderElectionId: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' },
    maxConcurrentReconcile: integer(1, 100),
    pollingPeriodSeconds: integer(1, 86_400),
    watchNamespace: dnsLabel,
    metricsBindAddress: { type: 'string' },
    healthProbeBindAddress: { type: 'string' },
    logLevel: { type: 'string', enum: LOG_LEVELS },
    kubeconfig: { type: 'string', minLength: 1 },
    execTimeoutMs: integer(100, 600_000),
    probePeriodMs: integer(500, 3_600_000),
    shutdownTimeoutMs: integer(0, 600_000),
    identity: { type: 'string', minLength: 1, maxLength: 100 },
  },
};

type ValueKind = 'bool' | 'int' | 'string' | 'list' | 'level';

type SettingSpec = {
  readonly key: keyof OperatorSettings;
  readonly flag: string;
  readonly kind: ValueKind;
  readonly env?: readonly string[];
  readonly aliases?: readonly string[];
  /** Multiplies an int flag into the setting's unit (seconds → ms). */
  readonly scale?: number;
  readonly help: string;
};

/** The flag table: canonical flag, environment twins (first set wins), help. */
export const settingSpecs: readonly SettingSpec[] = [
  { key: 'leaderElect', flag: 'leader-elect', kind: 'bool', env: ['OGO_LEADER_ELECT'], aliases: ['enable-leader-election'], help: 'campaign for the Lease; only the leader reconciles (default false, as 2.0)' },
  { key: 'leaderElectionNamespace', flag: 'leader-election-namespace', kind: 'string', env: ['OGO_LEADER_ELECTION_NAMESPACE', 'POD_NAMESPACE'], help: `namespace of the Lease (default: the ServiceAccount's namespace in a Pod, else ${DEFAULT_OPERATOR_NAMESPACE})` },
  { key: 'leaderElectionId', flag: 'leader-election-id', kind: 'string', env: ['OGO_LEADER_ELECTION_ID'], help: `name of the Lease (default ${DEFAULT_LEASE_NAME})` },
  { key: 'maxConcurrentReconcile', flag: 'max-concurrent-reconcile', kind: 'int', env: ['OGO_MAX_CONCURRENT_RECONCILE'], help: 'clusters reconciled at once (default 10)' },
  { key: 'pollingPeriodSeconds', flag: 'pollingPeriod', kind: 'int', env: ['OGO_POLLING_PERIOD'], aliases: ['polling-period'], help: 'seconds between health checks of a healthy cluster (default 60)' },
  { key: 'watchNamespace', flag: 'watch-namespaces', kind: 'list', env: ['OGO_WATCH_NAMESPACES', 'WATCH_NAMESPACE'], aliases: ['watch-namespace'], help: 'the namespace to watch (default: all); one namespace for now' },
  { key: 'metricsBindAddress', flag: 'metrics-bind-address', kind: 'string', env: ['OGO_METRICS_BIND_ADDRESS'], aliases: ['metrics-addr'], help: 'host:port of /metrics, or 0 to serve it on the probe address only (default $POD_IP:8080, else 127.0.0.1:8080)' },
  { key: 'healthProbeBindAddress', flag: 'health-probe-bind-address', kind: 'string', env: ['OGO_HEALTH_PROBE_BIND_ADDRESS'], help: 'host:port of /healthz /readyz /metrics; :8081 is every interface (default $POD_IP:8081, else 127.0.0.1:8081)' },
  { key: 'logLevel', flag: 'log-level', kind: 'level', env: ['OGO_LOG_LEVEL'], aliases: ['zap-log-level'], help: `one of ${LOG_LEVELS.join(', ')} (default info)` },
  { key: 'kubeconfig', flag: 'kubeconfig', kind: 'string', env: ['KUBECONFIG'], help: 'kubeconfig file, to run outside the cluster (default: in-cluster config)' },
  { key: 'execTimeoutMs', flag: 'exec-timeout-seconds', kind: 'int', env: ['OGO_EXEC_TIMEOUT_SECONDS'], scale: 1000, help: 'deadline of one command run in a member Pod (default 10)' },
  { key: 'probePeriodMs', flag: 'probe-period-seconds', kind: 'int', env: ['OGO_PROBE_PERIOD_SECONDS'], scale: 1000, help: 'seconds between background probes of each member (default 10)' },
  { key: 'shutdownTimeoutMs', flag: 'graceful-shutdown-timeout-seconds', kind: 'int', env: ['OGO_GRACEFUL_SHUTDOWN_TIMEOUT_SECONDS'], scale: 1000, help: 'time passes in progress get on SIGTERM, below the Pod grace period (default 20)' },
  { key: 'identity', flag: 'identity', kind: 'string', env: ['OGO_IDENTITY', 'POD_NAME'], help: 'leader-election identity and Event instance (default: POD_NAME, else the host name)' },
];

/** Facts about where the process runs, read by main.ts (files and host name, not env). */
export type RuntimeFacts = {
  /** The ServiceAccount namespace file's content, when running in a Pod. */
  readonly serviceAccountNamespace?: string;
  readonly hostname: string;
};

export type SettingsResult =
  | { readonly ok: true; readonly settings: OperatorSettings; readonly help: false }
  | { readonly ok: true; readonly help: true }
  | { readonly ok: false; readonly message: string };

type Env = Readonly<Record<string, string | undefined>>;

function defaults(env: Env, facts: RuntimeFacts): Record<string, unknown> {
  // Inside a Pod the kubelet probes the Pod IP; outside, loopback keeps a development run private.
  const host = nonEmpty(env['POD_IP']) ?? '127.0.0.1';
  const bracketed = host.includes(':') ? `[${host}]` : host;
  return {
    leaderElect: false,
    leaderElectionNamespace: nonEmpty(facts.serviceAccountNamespace?.trim()) ?? DEFAULT_OPERATOR_NAMESPACE,
    leaderElectionId: DEFAULT_LEASE_NAME,
    maxConcurrentReconcile: 10,
    pollingPeriodSeconds: 60,
    metricsBindAddress: `${bracketed}:8080`,
    healthProbeBindAddress: `${bracketed}:8081`,
    logLevel: 'info',
    execTimeoutMs: 10_000,
    probePeriodMs: 10_000,
    shutdownTimeoutMs: 20_000,
    identity: facts.hostname,
  };
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}

function convert(spec: SettingSpec, text: string): { value: unknown } | { error: string } {
  switch (spec.kind) {
    case 'bool': return { value: text === 'true' };
    case 'string': case 'level': return { value: text };
    case 'int': {
      if (!/^-?\d+$/.test(text.trim())) return { error: `--${spec.flag} takes a whole number, not ${JSON.stringify(text)}` };
      return { value: Number(text) * (spec.scale ?? 1) };
    }
    case 'list': {
      const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
      if (items.length > 1) return { error: `--${spec.flag}: one namespace is supported for now, not ${items.length} (${items.join(', ')}); leave it empty to watch all` };
      return { value: items[0] };
    }
  }
}

function envText(spec: SettingSpec, env: Env): string | undefined {
  for (const name of spec.env ?? []) {
    const value = env[name];
    if (value !== undefined && value !== '') return spec.kind === 'bool' ? envBool(value) : value;
  }
  return undefined;
}

function envBool(value: string): string {
  return ['true', '1', 't', 'yes'].includes(value.toLowerCase()) ? 'true' : 'false';
}

function schemaMessage(settings: Record<string, unknown>): string | undefined {
  const issues = schemaIssues(settingsSchema, settings);
  if (issues.length === 0) return undefined;
  const byKey = new Map(settingSpecs.map((s) => [`/${s.key}`, s.flag]));
  return issues.map((i) => `--${byKey.get(i.path) ?? i.path}: ${i.message}`).join('; ');
}

/** Fills `settings` from flags, then env; an error message for a value that does not convert. */
function applySources(settings: Record<string, unknown>, flags: ReadonlyMap<string, string>, env: Env): string | undefined {
  for (const spec of settingSpecs) {
    const text = flags.get(spec.flag) ?? envText(spec, env);
    if (text === undefined) continue;
    const converted = convert(spec, text);
    if ('error' in converted) return converted.error;
    if (converted.value === undefined) delete settings[spec.key];
    else settings[spec.key] = converted.value;
  }
  return undefined;
}

function bindAddressMessage(settings: Record<string, unknown>): string | undefined {
  for (const key of ['metricsBindAddress', 'healthProbeBindAddress'] as const) {
    const parsed = parseBindAddress(settings[key] as string);
    if (!parsed.ok) return `--${settingSpecs.find((s) => s.key === key)?.flag ?? key}: ${parsed.message}`;
  }
  return undefined;
}

/** Flags win over environment variables, which win over defaults. */
export function parseSettings(argv: readonly string[], env: Env, facts: RuntimeFacts): SettingsResult {
  const flags = parseFlags(argv, settingSpecs.map((s): FlagSpec => ({ name: s.flag, kind: s.kind === 'bool' ? 'bool' : 'value', aliases: s.aliases ?? [] })));
  if (!flags.ok) return flags;
  if (flags.help) return { ok: true, help: true };
  const settings = defaults(env, facts);
  const message = applySources(settings, flags.values, env) ?? schemaMessage(settings) ?? bindAddressMessage(settings);
  if (message !== undefined) return { ok: false, message };
  return { ok: true, settings: settings as OperatorSettings, help: false };
}

/** `--help` text: the flag table. */
export function renderUsage(): string {
  const lines = settingSpecs.map((s) => {
    const names = [s.flag, ...(s.aliases ?? [])].map((n) => `--${n}`).join(', ');
    const env = (s.env ?? []).join(', ');
    return `  ${names}\n        ${s.help}${env === '' ? '' : ` [env ${env}]`}`;
  });
  return `usage: og-operator [flags]\n\nFlags win over environment variables, which win over defaults.\n\n${lines.join('\n')}\n`;
}
