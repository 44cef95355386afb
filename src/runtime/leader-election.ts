// Lease-based leader election (coordination.k8s.io/v1) with controller-runtime's defaults:
// lease 15 s, renew deadline 10 s, retry 2 s. Writes are compare-and-swap on resourceVersion
// (PUT), so two candidates never both win a round. A leader that cannot renew within the
// deadline, or finds another holder, reports loss: the caller stops all work and exits.
import type { V1Lease, V1LeaseSpec } from '@kubernetes/client-node';
// The deep module: the package root loads all of client-node's generated code.
import { V1MicroTime } from '@kubernetes/client-node/dist/types.js';
import type { Logger } from 'pino';
import { ErrorCodes, OperatorError } from '../errors.ts';
import { Kinds } from '../kube/kinds.ts';
import type { KubeClient, ObjectRef } from '../kube/port.ts';
import { decide, leaseSpecFor, observe, releasedSpec, viewLease, type Observation } from './leader-decision.ts';

export type LeaseClient = Pick<KubeClient, 'get' | 'create' | 'replace'>;

export type LeaderElectionOptions = {
  readonly client: LeaseClient;
  readonly lease: ObjectRef;
  /** Unique per process: pod name plus a random suffix. */
  readonly identity: string;
  readonly log: Logger;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  readonly onStartedLeading: () => void;
  /** `error` is set when leadership was lost, absent after a clean release. */
  readonly onStoppedLeading: (error?: OperatorError) => void;
  readonly now?: () => number;
  readonly random?: () => number;
};

export type LeaderElector = {
  start(): void;
  /** Stops campaigning; a leader releases the Lease (empty holder, 1 s duration). */
  stop(): Promise<void>;
  readonly isLeader: boolean;
  /** False once leadership was lost; readiness reports it. */
  readonly healthy: boolean;
};

const jitter = 0.2;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`lease request timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function createLeaderElector(options: LeaderElectionOptions): LeaderElector {
  const { client, identity } = options;
  const durationMs = options.leaseDurationMs ?? 15_000;
  const renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
  const retryMs = options.retryPeriodMs ?? 2_000;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const log = options.log.child({ lease: `${options.lease.namespace}/${options.lease.name}`, identity });
  const maxPollGapMs = retryMs * (1 + jitter);
  let observation: Observation | undefined;
  let lastPollMs: number | undefined;
  let lastRenewMs = 0;
  let leading = false;
  let healthy = true;
  let stopped = false;
  let wake: (() => void) | undefined;
  let running: Promise<void> | undefined;

  const durationSeconds = Math.max(1, Math.round(durationMs / 1000));
  const leaseObject = (spec: V1LeaseSpec, current?: V1Lease): V1Lease => ({
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', spec,
    metadata: { ...current?.metadata, name: options.lease.name, namespace: options.lease.namespace },
  });

  const candidateDelay = (): number => retryMs * (1 + jitter * random());

  /** Reads the Lease and decides; writes when the decision is to create, renew or acquire. */
  async function attempt(pollAt: number, timeoutMs: number): Promise<number | undefined> {
    const current = await withTimeout(client.get(Kinds.Lease, options.lease), timeoutMs);
    const view = current === undefined ? undefined : viewLease(current);
    observation = observe(observation, view, { nowMs: pollAt, lastPollMs, maxPollGapMs });
    lastPollMs = pollAt;
    const decision = decide({ lease: view, observation, identity, nowMs: now() });
    if (decision.kind === 'wait') {
      if (leading) return lose(`another instance holds the lease: ${decision.holder}`);
      // Wake right at expiry rather than up to one retry period after it.
      return Math.min(candidateDelay(), decision.expiresInMs + 5);
    }
    const spec = leaseSpecFor(decision.kind, current?.spec, { identity, durationSeconds, now: new V1MicroTime(now()) });
    const written = decision.kind === 'create'
      ? await withTimeout(client.create(Kinds.Lease, leaseObject(spec)), timeoutMs)
      : await withTimeout(client.replace(Kinds.Lease, leaseObject(spec, current)), timeoutMs);
    observation = { resourceVersion: written.metadata?.resourceVersion ?? '', atMs: now() };
    lastRenewMs = pollAt;
    if (!leading) becomeLeader(decision.kind);
    return retryMs;
  }

  /** One round; returns ms until the next round, or undefined when leadership was lost. */
  async function round(): Promise<number | undefined> {
    const pollAt = now();
    const timeoutMs = leading ? Math.max(500, renewDeadlineMs - (pollAt - lastRenewMs)) : retryMs * 2;
    try {
      return await attempt(pollAt, timeoutMs);
    } catch (err) {
      log.debug({ err }, 'lease round failed');
      if (leading && now() - lastRenewMs >= renewDeadlineMs) return lose('renew deadline passed');
      // A leader retries sooner: it has until the renew deadline to succeed.
      return leading ? retryMs / 4 : candidateDelay();
    }
  }

  function becomeLeader(how: string): void {
    leading = true;
    log.info({ how }, 'became leader');
    options.onStartedLeading();
  }

  function lose(why: string): undefined {
    leading = false;
    healthy = false;
    stopped = true;
    const error = new OperatorError(ErrorCodes.LEADER_LOST, `leadership lost: ${why}`);
    log.error({ err: error }, 'leadership lost; stopping all work');
    options.onStoppedLeading(error);
    return undefined;
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => { wake = undefined; resolve(); }, ms);
      wake = () => { clearTimeout(timer); wake = undefined; resolve(); };
    });
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      const next = await round();
      if (next === undefined || stopped) return;
      await sleep(next);
    }
  }

  async function release(): Promise<void> {
    try {
      const current = await withTimeout(client.get(Kinds.Lease, options.lease), 2_000);
      if (current === undefined || current.spec?.holderIdentity !== identity) return;
      await withTimeout(client.replace(Kinds.Lease, leaseObject(releasedSpec(current.spec, new V1MicroTime(now())), current)), 2_000);
      log.info('released the lease');
    } catch (err) {
      // Best effort: without it, a successor waits for the lease to expire instead.
      log.warn({ err }, 'could not release the lease');
    }
  }

  return {
    start(): void {
      if (running !== undefined) return;
      log.info({ durationMs, renewDeadlineMs, retryMs }, 'campaigning for leadership');
      running = loop();
    },
    async stop(): Promise<void> {
      stopped = true;
      wake?.();
      await running;
      if (!leading) return;
      await release();
      leading = false;
      options.onStoppedLeading();
    },
    get isLeader() { return leading; },
    get healthy() { return healthy; },
  };
}
