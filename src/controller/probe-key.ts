// What counts as a change in a member's probe: everything but the WAL positions, which move with
// every write. A changed key wakes the cluster's reconcile; moving LSNs alone do not (status
// shows them at the next pass, which comes at least every polling period).
import type { ProbeOutcome } from '../reconcile/types.ts';

const MOVING = new Set(['sentLsn', 'receiverFlushLsn', 'receiverReplayLsn', 'receivedLsn', 'flushLsn', 'replayLsn', 'syncPercent']);

export function stableProbeKey(outcome: ProbeOutcome): string {
  return JSON.stringify(outcome, (key, value: unknown) => (MOVING.has(key) ? undefined : typeof value === 'bigint' ? value.toString() : value));
}
