// Everything the operator sets on one member through `gs_guc reload` (seed-operator.md §5.3, §5.4):
// replication wiring, sync settings and hba, plus the accepted spec.config entries. Pure: the
// reconciler turns the plan into one exec (buildGsGucArgv) and decides restarts from
// planConfigChange.
import { acceptedConfig, type RejectedGuc } from './guc-classes.ts';
import { renderGucAssignment } from './guc-quoting.ts';
import { planHbaEntries, renderHbaArgument, type HbaEntry } from './pg-hba.ts';
import { planReplication, type GucSetting } from './replication.ts';
import { planSyncSettings } from './sync-replication.ts';

export type MemberConfigInput = {
  readonly selfIp: string;
  /** Every local member's IP in iplist order, self included. */
  readonly localIps: readonly string[];
  /** The peer site's IPs in remoteiplist order. */
  readonly remoteIps: readonly string[];
  readonly dbport: number;
  /** spec.config (values as after `=` in postgresql.conf). */
  readonly config: Readonly<Record<string, string>>;
  /** Former members whose hba lines are removed. */
  readonly retiredIps?: readonly string[];
};

export type MemberConfig =
  | { readonly ok: true; readonly settings: readonly GucSetting[]; readonly hba: readonly HbaEntry[]; readonly rejected: readonly RejectedGuc[] }
  | { readonly ok: false; readonly reason: string };

export function planMemberConfig(input: MemberConfigInput): MemberConfig {
  const replication = planReplication(input);
  if (!replication.ok) return replication;
  const userSyncCommit = Object.entries(input.config).find(([name]) => name.toLowerCase() === 'synchronous_commit')?.[1];
  const { accepted, rejected } = acceptedConfig(input.config);
  const user = accepted.filter(([name]) => name.toLowerCase() !== 'synchronous_commit').map(([name, value]) => ({ name, value }));
  return {
    ok: true,
    settings: [...replication.settings, ...planSyncSettings(input, userSyncCommit), ...user],
    hba: planHbaEntries({ peers: replication.peers, retiredPeers: input.retiredIps ?? [] }),
    rejected,
  };
}

export type GsGucCommand = {
  readonly verb: 'set' | 'reload';
  readonly dataDir: string;
  readonly settings?: readonly GucSetting[];
  /** Keys to comment out (reset to the default). */
  readonly reset?: readonly string[];
  readonly hba?: readonly HbaEntry[];
};

/** The argv of one gs_guc call (for exec without a shell; shellQuote each word for `sh -c`). */
export function buildGsGucArgv(command: GsGucCommand): string[] {
  return [
    'gs_guc', command.verb, '-D', command.dataDir,
    ...(command.settings ?? []).flatMap((s) => ['-c', renderGucAssignment(s.name, s.value)]),
    ...(command.reset ?? []).flatMap((name) => ['-c', name]),
    ...(command.hba ?? []).flatMap((entry) => ['-h', renderHbaArgument(entry)]),
  ];
}
