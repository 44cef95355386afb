// Member probes out of the reconcile pass (house style §3: a pass reads caches and never waits
// on a database). The prober keeps the latest probe of every member whose og container runs,
// refreshes it in the background every probe period, and enqueues the member's cluster when what
// it reports changes. A pass reads the cache: a member with no result it may trust yet (a new or
// restarted container, a changed readiness, or an action just sent to it) is "pending", and the
// pass waits for it instead of deciding on a reading from before. A change of the pod's readiness
// (the kubelet's TCP check on dbport) does not void the reading, but has it refreshed at once; a
// member in transition (starting, pending a role, building, not Normal) is refreshed every second
// rather than every period, so each step of a creation or a repair is seen as soon as it happens.
//
// A probe that could not run (exec transport failure or deadline: the API server or the node is
// slow, the database was never asked) replaces a good reading only the second time in a row, so
// one slow exec on a loaded machine does not turn a ready cluster into a recovering one. A probe
// that ran and shows the database down is published at once.
import type { V1Pod } from '@kubernetes/client-node';
import { probeArgv } from '../instance/commands.ts';
import { OG_CONTAINER, type InstanceRunner } from '../instance/port.ts';
import { parseProbe } from '../instance/probe.ts';
import type { ProbeOutcome } from '../reconcile/types.ts';
import { stableProbeKey } from './probe-key.ts';
import { ogRunning, podIncarnation, podReady } from './views.ts';

export type ProbeReading = { readonly kind: 'fresh'; readonly outcome: ProbeOutcome } | { readonly kind: 'pending' } | { readonly kind: 'notRunning' };

export type MemberProber = {
  /** The member's latest trusted probe; starts one when there is none. Never waits. */
  read(clusterKey: string, pod: V1Pod, ip: string): ProbeReading;
  /** An action was sent to this pod: readings taken before now are no longer trusted. */
  invalidate(namespace: string, pod: string): void;
  /** Resolves when no probe is in flight (tests, shutdown). */
  idle(): Promise<void>;
  /** Starts the periodic refresh (the timer does not keep the process alive). */
  start(): void;
  stop(): void;
};

export type MemberProberOptions = {
  readonly runner: InstanceRunner;
  readonly execTimeoutMs: number;
  /** How often a trusted reading is refreshed in the background. */
  readonly periodMs: number;
  /** Called when a member's reading changes: enqueue its cluster. */
  readonly onChange: (clusterKey: string) => void;
  readonly now: () => number;
  /** Probes in flight at once, over all clusters (each is an exec through the API server). */
  readonly maxInFlight?: number;
};

type Entry = {
  readonly key: string;
  readonly clusterKey: string;
  readonly namespace: string;
  readonly pod: string;
  readonly ip: string;
  /** The container incarnation the readings belong to (views.ts podIncarnation). */
  readonly incarnation: string;
  /** The pod's readiness when last read: a change triggers a refresh. */
  ready: boolean;
  outcome: ProbeOutcome | undefined;
  /** When the published probe was started. */
  at: number;
  /** Bumped by every action sent to the member: probes begun under an older epoch are stale. */
  epoch: number;
  /** Exec failures in a row since the last published reading. */
  failures: number;
  inFlight: boolean;
  lastReadAt: number;
};

const DEFAULT_MAX_IN_FLIGHT = 8;
/** A member nobody read for this many periods is forgotten (its cluster or pod is gone). */
const FORGET_AFTER_PERIODS = 30;
/** Exec failures in a row that replace a good reading. */
const FAILURES_TO_PUBLISH = 2;
/** Refresh period of a member in transition. */
const TRANSITION_PERIOD_MS = 1_000;

/** A member whose database serves a role in a Normal state: nothing is expected to change soon. */
function settled(outcome: ProbeOutcome): boolean {
  if (!outcome.ok) return false;
  const p = outcome.value;
  return p.process && !p.busy && (p.role === 'primary' || p.role === 'standby') && p.dbState === 'Normal';
}

export function createMemberProber(options: MemberProberOptions): MemberProber {
  const entries = new Map<string, Entry>();
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  const waiting: Entry[] = [];
  const inFlight = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;

  function publish(entry: Entry, outcome: ProbeOutcome, startedAt: number): void {
    // A first reading after pending always counts: the pass waiting for it must run.
    const changed = entry.outcome === undefined || stableProbeKey(entry.outcome) !== stableProbeKey(outcome);
    entry.outcome = outcome;
    entry.at = startedAt;
    entry.failures = 0;
    if (changed) options.onChange(entry.clusterKey);
  }

  function settle(entry: Entry, outcome: ProbeOutcome, execFailed: boolean, started: { at: number; epoch: number }): void {
    entry.inFlight = false;
    if (entries.get(entry.key) !== entry) return; // the pod was replaced meanwhile
    const startedAt = started.at;
    if (started.epoch !== entry.epoch) {
      schedule(entry); // an action came after this probe began: someone waits for a fresh one
      return;
    }
    if (execFailed && entry.outcome?.ok === true && entry.failures + 1 < FAILURES_TO_PUBLISH) {
      entry.failures += 1;
      return;
    }
    publish(entry, outcome, startedAt);
  }

  async function probe(entry: Entry): Promise<void> {
    const started = { at: options.now(), epoch: entry.epoch };
    const result = await options.runner.run({ namespace: entry.namespace, pod: entry.pod, container: OG_CONTAINER }, probeArgv(), options.execTimeoutMs);
    if (result.kind === 'failed') settle(entry, { ok: false, error: result.error.message }, true, started);
    else settle(entry, parseProbe(result.stdout, entry.ip), false, started);
  }

  function pump(): void {
    while (inFlight.size < maxInFlight && waiting.length > 0) {
      const entry = waiting.shift();
      if (entry === undefined || entries.get(entry.key) !== entry) continue;
      const running: Promise<void> = probe(entry).finally(() => {
        inFlight.delete(running);
        pump();
      });
      inFlight.add(running);
    }
  }

  function schedule(entry: Entry): void {
    if (entry.inFlight) return;
    entry.inFlight = true;
    waiting.push(entry);
    pump();
  }

  function due(entry: Entry, now: number): boolean {
    if (entry.outcome === undefined) return true;
    return now - entry.at >= (settled(entry.outcome) ? options.periodMs : Math.min(options.periodMs, TRANSITION_PERIOD_MS));
  }

  function refreshDue(): void {
    const now = options.now();
    for (const entry of entries.values()) {
      if (now - entry.lastReadAt > FORGET_AFTER_PERIODS * options.periodMs) entries.delete(entry.key);
      else if (due(entry, now)) schedule(entry);
    }
  }

  /** The member's entry for the pod's current incarnation: a new one when the container changed. */
  function entryFor(key: string, clusterKey: string, pod: V1Pod, ip: string): Entry {
    const incarnation = podIncarnation(pod);
    const known = entries.get(key);
    if (known?.incarnation === incarnation) return known;
    const entry: Entry = {
      key, clusterKey, namespace: pod.metadata?.namespace ?? '', pod: pod.metadata?.name ?? '', ip, incarnation, ready: podReady(pod),
      outcome: undefined, at: 0, epoch: 0, failures: 0, inFlight: false, lastReadAt: 0,
    };
    entries.set(key, entry);
    return entry;
  }

  return {
    read(clusterKey, pod, ip) {
      const key = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
      if (pod.metadata?.deletionTimestamp !== undefined || !ogRunning(pod)) {
        entries.delete(key);
        return { kind: 'notRunning' };
      }
      const entry = entryFor(key, clusterKey, pod, ip);
      entry.lastReadAt = options.now();
      const readinessChanged = entry.ready !== podReady(pod);
      entry.ready = podReady(pod);
      if (readinessChanged || due(entry, entry.lastReadAt)) schedule(entry);
      return entry.outcome === undefined ? { kind: 'pending' } : { kind: 'fresh', outcome: entry.outcome };
    },
    invalidate(namespace, pod) {
      const entry = entries.get(`${namespace}/${pod}`);
      if (entry === undefined) return;
      entry.outcome = undefined;
      entry.epoch += 1;
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    start() {
      if (timer !== undefined) return;
      timer = setInterval(refreshDue, Math.min(TRANSITION_PERIOD_MS, options.periodMs) / 2);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
