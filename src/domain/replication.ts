// Replication settings of one member, in 2.0's format (seed-operator.md §5.3, opengauss.md §4.1):
// one replconninfoN per peer, other local members in iplist order and then the remote site's in
// remoteiplist order; the HA ports are dbport+1 (replication), +4 (service), +5 (heartbeat).
// Unlike 2.0, every slot up to 8 that no peer uses is cleared (2.0 stopped early: weakness 21), so
// a removed peer never lingers in a slot.
import { quoteGucString } from './guc-quoting.ts';

/** openGauss has replconninfo1..replconninfo8. */
export const REPLCONNINFO_SLOTS = 8;

/** The parameter 2.0 sets on a lone member whose self-loop peer never connects (kB). */
export const LONE_MAX_SIZE_FOR_XLOG_PRUNE = '1048576';

const LOOPBACK = '127.0.0.1';

export type HaPorts = { readonly replication: number; readonly service: number; readonly heartbeat: number };

export function haPorts(dbport: number): HaPorts {
  return { replication: dbport + 1, service: dbport + 4, heartbeat: dbport + 5 };
}

/** `og_<ip with _>`, the application_name 2.0 gives a member (its sync standby name). */
export function applicationName(ip: string): string {
  return `og_${ip.replaceAll('.', '_')}`;
}

/** The replconninfo value (unquoted) linking `self` to `peer`; both sites share dbport. */
export function renderReplConnInfo(self: string, peer: string, dbport: number): string {
  const p = haPorts(dbport);
  return [
    `localhost=${self}`, `localport=${p.replication}`, `localservice=${p.service}`, `localheartbeatport=${p.heartbeat}`,
    `remotehost=${peer}`, `remoteport=${p.replication}`, `remoteservice=${p.service}`, `remoteheartbeatport=${p.heartbeat}`,
  ].join(' ');
}

export type ReplicationInput = {
  readonly selfIp: string;
  /** Every local member's IP in iplist order, self included. */
  readonly localIps: readonly string[];
  /** The peer site's IPs in remoteiplist order. */
  readonly remoteIps: readonly string[];
  readonly dbport: number;
};

/** One GUC: the name and the value as it appears after `=` in postgresql.conf (strings quoted). */
export type GucSetting = { readonly name: string; readonly value: string };

export type ReplicationPlan =
  | { readonly ok: true; readonly peers: readonly string[]; readonly settings: readonly GucSetting[] }
  | { readonly ok: false; readonly reason: string };

/** The peers of `selfIp`: other locals in iplist order, then remotes, without duplicates. */
export function replicationPeers(input: Pick<ReplicationInput, 'selfIp' | 'localIps' | 'remoteIps'>): string[] {
  const seen = new Set<string>([input.selfIp]);
  const peers: string[] = [];
  for (const ip of [...input.localIps, ...input.remoteIps]) {
    if (seen.has(ip)) continue;
    seen.add(ip);
    peers.push(ip);
  }
  return peers;
}

/**
 * replconninfo1..8, application_name and, for a lone member, the self-loop and
 * max_size_for_xlog_prune, as 2.0 applies them in one `gs_guc reload`.
 */
export function planReplication(input: ReplicationInput): ReplicationPlan {
  const peers = replicationPeers(input);
  if (peers.length > REPLCONNINFO_SLOTS) {
    return { ok: false, reason: `${peers.length} peers do not fit in ${REPLCONNINFO_SLOTS} replconninfo slots` };
  }
  // A lone member points at itself so that, started as primary, it reports Primary (§4.1).
  const lone = peers.length === 0;
  const lines = lone ? [renderReplConnInfo(LOOPBACK, LOOPBACK, input.dbport)] : peers.map((peer) => renderReplConnInfo(input.selfIp, peer, input.dbport));
  const settings: GucSetting[] = [];
  for (let slot = 1; slot <= REPLCONNINFO_SLOTS; slot += 1) {
    const line = lines[slot - 1];
    settings.push({ name: `replconninfo${slot}`, value: quoteGucString(line ?? '') });
  }
  settings.push({ name: 'application_name', value: quoteGucString(applicationName(input.selfIp)) });
  if (lone) settings.push({ name: 'max_size_for_xlog_prune', value: LONE_MAX_SIZE_FOR_XLOG_PRUNE });
  return { ok: true, peers: lone ? [] : peers, settings };
}

/** Whether a replconninfo1 value shows the member was configured (2.0's "was a member?" test). */
export function replConnInfoNamesSelf(value: string, selfIp: string): boolean {
  return value.includes(`localhost=${selfIp} `) || value.includes(`localhost=${LOOPBACK} `);
}
