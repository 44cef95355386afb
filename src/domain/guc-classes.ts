// How a spec.config key is applied (seed-operator.md §5.3, §6.3): most parameters take a
// `gs_guc reload`; postmaster-level ones need a restart; some are refused (§2.4) and some are the
// operator's own. Unlike 2.0, a key removed from spec.config is reset (commented out, so the
// server default returns) instead of lingering with its old value (weakness 18).
import { isValidGucName, isWellFormedGucValue } from './guc-quoting.ts';
import { ADDED_POSTMASTER_GUCS, FORBIDDEN_GUCS, MANAGED_GUCS, POSTMASTER_GUCS_FROM_2_0 } from './guc-table.ts';

export const GucClass = { Reload: 'reload', Restart: 'restart', Forbidden: 'forbidden', Managed: 'managed', Invalid: 'invalid' } as const;
export type GucClass = (typeof GucClass)[keyof typeof GucClass];

const postmaster = new Set([...POSTMASTER_GUCS_FROM_2_0, ...ADDED_POSTMASTER_GUCS]);
const forbidden = new Set(FORBIDDEN_GUCS);
// synchronous_commit is operator-chosen but the user's value wins (chooseSynchronousCommit).
const managed = new Set(MANAGED_GUCS);

/** The class of a parameter name (case-insensitive, as openGauss matches names). */
export function classifyGuc(name: string): GucClass {
  if (!isValidGucName(name)) return GucClass.Invalid;
  const key = name.toLowerCase();
  if (forbidden.has(key)) return GucClass.Forbidden;
  if (managed.has(key)) return GucClass.Managed;
  return postmaster.has(key) ? GucClass.Restart : GucClass.Reload;
}

export type RejectedGuc = { readonly name: string; readonly reason: 'forbidden' | 'managed' | 'invalid-name' | 'invalid-value' };

export type ConfigChange = {
  /** Keys to set, with their new values (new or changed keys only). */
  readonly set: readonly { readonly name: string; readonly value: string }[];
  /** Keys removed from spec.config: comment out so the default returns. */
  readonly reset: readonly string[];
  /** Whether a set or reset key needs a restart to take effect. */
  readonly restartNeeded: boolean;
  readonly rejected: readonly RejectedGuc[];
};

function rejection(name: string, value: string): RejectedGuc | undefined {
  const cls = classifyGuc(name);
  if (cls === GucClass.Invalid) return { name, reason: 'invalid-name' };
  if (cls === GucClass.Forbidden) return { name, reason: 'forbidden' };
  if (cls === GucClass.Managed) return { name, reason: 'managed' };
  return isWellFormedGucValue(value) ? undefined : { name, reason: 'invalid-value' };
}

/** The entries of spec.config the operator applies (everything classifyGuc accepts), in key order. */
export function acceptedConfig(config: Readonly<Record<string, string>>): { accepted: [string, string][]; rejected: RejectedGuc[] } {
  const accepted: [string, string][] = [];
  const rejected: RejectedGuc[] = [];
  for (const [name, value] of Object.entries(config).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const why = rejection(name, value);
    if (why === undefined) accepted.push([name, value]);
    else rejected.push(why);
  }
  return { accepted, rejected };
}

/**
 * What to do when spec.config goes from `applied` (what members run) to `desired`. Rejected keys
 * are left alone on the members and reported.
 */
export function planConfigChange(applied: Readonly<Record<string, string>>, desired: Readonly<Record<string, string>>): ConfigChange {
  const { accepted, rejected } = acceptedConfig(desired);
  const before = new Map(acceptedConfig(applied).accepted);
  const set = accepted.filter(([name, value]) => before.get(name) !== value).map(([name, value]) => ({ name, value }));
  const desiredNames = new Set(Object.keys(desired));
  const reset = [...before.keys()].filter((name) => !desiredNames.has(name));
  const restartNeeded = [...set.map((s) => s.name), ...reset].some((name) => classifyGuc(name) === GucClass.Restart);
  return { set, reset, restartNeeded, rejected };
}
