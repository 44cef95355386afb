// Candidate ranking for promotion as a pure total ordering (house style §3). The failover logic
// (who may be promoted at all, under which data-loss policy) comes later and uses this order:
// 1. members whose probe worked before members whose probe failed (never an errored member
//    first while a healthy one exists; 2.0 let an empty placeholder win: weakness 5);
// 2. a member that claims Primary first (the split-brain step decides what to do with two);
// 3. higher term, then higher LSN (term first, as openGauss CM ranks: opengauss.md §8);
// 4. the stronger sync state (Sync, Potential, Quorum, Async, unknown);
// 5. iplist order, then the name, so equal inputs always give the same order.
import type { Lsn } from './lsn.ts';

export type CandidateProbe =
  | { readonly ok: false; readonly error: string }
  | {
    readonly ok: true;
    /** local_role from gs_ctl query: Primary, Standby, Pending, Normal, … */
    readonly localRole: string;
    /** undefined when the member did not report one (ranks below any term). */
    readonly term: number | undefined;
    /** undefined when the member reported no position (ranks below any LSN). */
    readonly lsn: Lsn | undefined;
    /** sync_state the primary last reported for this member, if any. */
    readonly syncState?: string;
  };

export type Candidate = {
  readonly name: string;
  /** Position in iplist; remote or unknown members use a large number. */
  readonly order: number;
  readonly probe: CandidateProbe;
};

const syncRank: Readonly<Record<string, number>> = { sync: 0, potential: 1, quorum: 2, async: 3 };
const UNKNOWN_SYNC = 4;

const cmp = (a: number | bigint, b: number | bigint): number => (a < b ? -1 : a > b ? 1 : 0);

// Optional numbers: present beats absent; larger beats smaller (descending).
function compareDescending<T extends number | bigint>(a: T | undefined, b: T | undefined): number {
  if (a === undefined || b === undefined) return cmp(a === undefined ? 1 : 0, b === undefined ? 1 : 0);
  return cmp(b, a);
}

function compareHealthy(a: Extract<CandidateProbe, { ok: true }>, b: Extract<CandidateProbe, { ok: true }>): number {
  const primary = cmp(a.localRole === 'Primary' ? 0 : 1, b.localRole === 'Primary' ? 0 : 1);
  if (primary !== 0) return primary;
  const term = compareDescending(a.term, b.term);
  if (term !== 0) return term;
  const lsn = compareDescending(a.lsn, b.lsn);
  if (lsn !== 0) return lsn;
  return cmp(syncRank[(a.syncState ?? '').toLowerCase()] ?? UNKNOWN_SYNC, syncRank[(b.syncState ?? '').toLowerCase()] ?? UNKNOWN_SYNC);
}

/** Negative when `a` ranks before `b`; 0 only for candidates equal in every key including the name. */
export function compareCandidates(a: Candidate, b: Candidate): number {
  const health = cmp(a.probe.ok ? 0 : 1, b.probe.ok ? 0 : 1);
  if (health !== 0) return health;
  const byState = a.probe.ok && b.probe.ok ? compareHealthy(a.probe, b.probe) : 0;
  if (byState !== 0) return byState;
  const order = cmp(a.order, b.order);
  if (order !== 0) return order;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** A sorted copy, best candidate first. */
export function rankCandidates(candidates: readonly Candidate[]): Candidate[] {
  return [...candidates].sort(compareCandidates);
}

/** The best candidate whose probe worked, or undefined: never "nothing" dressed as a member. */
export function bestCandidate(candidates: readonly Candidate[]): Candidate | undefined {
  const first = rankCandidates(candidates)[0];
  return first?.probe.ok === true ? first : undefined;
}
