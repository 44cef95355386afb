// What each member should run, and whether it already does: planMemberConfig's settings and hba
// hashed into a pod annotation after a successful `gs_guc reload`, plus a separate hash of the
// restart-class keys of spec.config (classifyGuc) so that only those trigger a restart. A
// recreated pod has no annotations, so it is configured again, which it needs anyway (it starts
// pending with the baseline only).
import type { ResolvedSpec } from '../api/v1/index.ts';
import { acceptedConfig, classifyGuc, GucClass } from '../domain/guc-classes.ts';
import { planMemberConfig } from '../domain/member-config.ts';
import type { MemberCommand } from './types.ts';

// Operator-private pod annotations (not part of the 2.0 contract; TODO move to src/api/v1/annotations.ts).
export const ConfigAnnotation = {
  /** Hash of the settings and hba last applied with gs_guc reload. */
  Applied: 'opengauss.sig/config-hash',
  /** Hash of the restart-class spec.config keys the running server was started with. */
  Restart: 'opengauss.sig/restart-hash',
} as const;

/** FNV-1a (32 bit), hex: a change detector, not a security boundary. */
export function hashText(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export type MemberPlan =
  | { readonly ok: true; readonly command: Extract<MemberCommand, { op: 'configure' }>; readonly appliedHash: string; readonly restartHash: string }
  | { readonly ok: false; readonly reason: string };

export function restartHash(config: Readonly<Record<string, string>>): string {
  const restartKeys = acceptedConfig(config).accepted.filter(([name]) => classifyGuc(name) === GucClass.Restart);
  return hashText(JSON.stringify(restartKeys));
}

export function planMember(spec: ResolvedSpec, ip: string): MemberPlan {
  const plan = planMemberConfig({
    selfIp: ip,
    localIps: spec.iplist.map((m) => m.ip),
    remoteIps: spec.remoteiplist,
    dbport: spec.dbport,
    config: spec.config,
  });
  if (!plan.ok) return plan;
  return {
    ok: true,
    command: { op: 'configure', settings: plan.settings, hba: plan.hba },
    appliedHash: hashText(JSON.stringify([plan.settings, plan.hba])),
    restartHash: restartHash(spec.config),
  };
}

/** The merge patch recording what a member now runs. */
export function configAnnotationPatch(plan: Extract<MemberPlan, { ok: true }>, restarted: boolean): object {
  return { metadata: { annotations: { [ConfigAnnotation.Applied]: plan.appliedHash, ...(restarted ? { [ConfigAnnotation.Restart]: plan.restartHash } : {}) } } };
}
