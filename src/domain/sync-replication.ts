// Synchronous replication as 2.0 configures it on every member (seed-operator.md §5.4), with the
// members in a stable order (iplist, then remoteiplist) instead of 2.0's random map order
// (weakness 8), so the value only changes when membership does.
import { quoteGucString } from './guc-quoting.ts';
import { applicationName } from './replication.ts';
import type { GucSetting } from './replication.ts';

export type SyncInput = {
  readonly selfIp: string;
  /** Every local member's IP in iplist order, self included. */
  readonly localIps: readonly string[];
  /** The peer site's IPs in remoteiplist order. */
  readonly remoteIps: readonly string[];
};

/**
 * `FIRST n(<other locals>,<remotes>)`, 2.0's rule: with n local members (self included) and r
 * remote ones, n sync standbys when r > 0 (a remote acknowledgement is required), else floor(n/2);
 * '' for a lone member without remotes. 2.0 writes FIRST (its comments say ANY) and no space.
 */
export function renderSynchronousStandbyNames(input: SyncInput): string {
  const locals = input.localIps.filter((ip) => ip !== input.selfIp);
  const remotes = input.remoteIps.filter((ip) => ip !== input.selfIp && !locals.includes(ip));
  const n = locals.length + (input.localIps.includes(input.selfIp) ? 1 : 0);
  const r = remotes.length;
  if (r === 0 && n <= 1) return '';
  const names = [...locals, ...remotes].map(applicationName);
  const count = Math.min(r > 0 ? n : Math.floor(n / 2), names.length);
  return count === 0 ? names.join(',') : `FIRST ${count}(${names.join(',')})`;
}

/**
 * synchronous_commit in openGauss terms (the PostgreSQL sandbox translates remote_receive to
 * remote_write). With standbys, 2.0's remote_receive; a value the user set in spec.config wins.
 * A lone member gets `on`, not 2.0's `off`: off acknowledges commits before the local WAL flush, so
 * a crash of a lone primary lost acknowledged transactions.
 */
export function chooseSynchronousCommit(memberCount: number, userValue: string | undefined): string {
  if (userValue !== undefined && userValue.trim() !== '') return userValue.trim();
  return memberCount > 1 ? 'remote_receive' : 'on';
}

/**
 * 2.0's starting value of most_available_sync: on while the cluster has only ever had one member
 * and no remote site (nothing to wait for), off once it has peers. The reconciler's degrade
 * policy may turn it on later; that decision is not made here.
 */
export function initialMostAvailableSync(appliedLocalCount: number, remoteCount: number): 'on' | 'off' {
  return appliedLocalCount > 1 || remoteCount > 0 ? 'off' : 'on';
}

/** synchronous_standby_names and synchronous_commit for one member. */
export function planSyncSettings(input: SyncInput, userSynchronousCommit?: string): GucSetting[] {
  const memberCount = new Set([...input.localIps, ...input.remoteIps, input.selfIp]).size;
  return [
    { name: 'synchronous_standby_names', value: quoteGucString(renderSynchronousStandbyNames(input)) },
    { name: 'synchronous_commit', value: chooseSynchronousCommit(memberCount, userSynchronousCommit) },
  ];
}
