// The decisions of Lease-based leader election, kept pure: what this candidate should do given
// the Lease it just read. Expiry is judged on the local clock from when this process first saw
// the current record (never from renewTime, which another machine's clock wrote), as client-go does.
import type { V1Lease, V1LeaseSpec } from '@kubernetes/client-node';

export type LeaseView = {
  /** '' when nobody holds it (never acquired, or released). */
  readonly holder: string;
  readonly durationSeconds: number;
  readonly resourceVersion: string;
  readonly transitions: number;
};

/** When the current record (by resourceVersion) was first seen, on the local clock. */
export type Observation = { readonly resourceVersion: string; readonly atMs: number };

export type LeaderDecision =
  | { readonly kind: 'create' }
  | { readonly kind: 'renew' }
  | { readonly kind: 'acquire' }
  | { readonly kind: 'wait'; readonly holder: string; readonly expiresInMs: number };

export function viewLease(lease: V1Lease): LeaseView {
  return {
    holder: lease.spec?.holderIdentity ?? '',
    durationSeconds: lease.spec?.leaseDurationSeconds ?? 0,
    resourceVersion: lease.metadata?.resourceVersion ?? '',
    transitions: lease.spec?.leaseTransitions ?? 0,
  };
}

/**
 * Updates the observation after a poll at `nowMs`. A record that changed since the previous
 * poll changed after it, so the previous poll time (bounded by `maxPollGapMs`, in case this
 * process stalled) is used: expiry then comes up to one poll earlier than "when we noticed",
 * which keeps takeover within the lease duration of the leader's death. It stays safe because
 * the leader gives up after its renew deadline (10 s), well before duration minus one poll minus
 * the takeover lead (15 − 2.4 − 0.25 = 12.35 s).
 */
export type Poll = { readonly nowMs: number; readonly lastPollMs: number | undefined; readonly maxPollGapMs: number };

export function observe(previous: Observation | undefined, lease: LeaseView | undefined, poll: Poll): Observation | undefined {
  if (lease === undefined) return undefined;
  if (previous !== undefined && previous.resourceVersion === lease.resourceVersion) return previous;
  const { nowMs, lastPollMs, maxPollGapMs } = poll;
  const atMs = lastPollMs === undefined ? nowMs : Math.max(lastPollMs, nowMs - maxPollGapMs);
  return { resourceVersion: lease.resourceVersion, atMs };
}

export type DecideInput = {
  readonly lease: LeaseView | undefined;
  readonly observation: Observation | undefined;
  readonly identity: string;
  readonly nowMs: number;
  /**
   * Start the takeover this much before expiry, so that the read and the write that take over
   * complete within the lease duration. Default 250 ms; the old leader still gave up long before.
   */
  readonly leadMs?: number;
};

export function decide(input: DecideInput): LeaderDecision {
  const { lease, observation, identity, nowMs } = input;
  if (lease === undefined) return { kind: 'create' };
  if (lease.holder === identity) return { kind: 'renew' };
  if (lease.holder === '') return { kind: 'acquire' };
  const since = observation?.atMs ?? nowMs;
  const expiresInMs = since + lease.durationSeconds * 1000 - (input.leadMs ?? 250) - nowMs;
  return expiresInMs <= 0 ? { kind: 'acquire' } : { kind: 'wait', holder: lease.holder, expiresInMs };
}

export type SpecInput = { readonly identity: string; readonly durationSeconds: number; readonly now: Date };

/** The spec to write for a create, renew or acquire decision. */
export function leaseSpecFor(decision: 'create' | 'renew' | 'acquire', current: V1LeaseSpec | undefined, input: SpecInput): V1LeaseSpec {
  const base = { holderIdentity: input.identity, leaseDurationSeconds: input.durationSeconds, renewTime: input.now };
  if (decision === 'renew') return { ...current, ...base };
  const transitions = decision === 'create' ? 0 : (current?.leaseTransitions ?? 0) + 1;
  return { ...current, ...base, acquireTime: input.now, leaseTransitions: transitions };
}

/** Clean release: nobody holds it and it expires in 1 s, so a candidate takes over at once. */
export function releasedSpec(current: V1LeaseSpec | undefined, now: Date): V1LeaseSpec {
  return { ...current, holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now };
}
