// The manager wires the runtime together: informers start at once on every replica (a warm
// cache makes takeover fast), controllers start only on the leader and only after every cache
// has synced, the probe server reports health and readiness. Shutdown order matters: stop
// handing out work and drain passes in progress, then release the Lease (so the successor
// starts after we stopped acting), then stop watches and the server.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { ErrorCodes, OperatorError } from '../errors.ts';
import { kindLabel } from '../kube/kinds.ts';
import type { RuntimeMetrics } from '../observability/metrics.ts';
import { startProbeServer, type ProbeServer } from '../observability/probe-server.ts';
import type { Controller } from './controller.ts';
import type { Informer } from './informer.ts';
import { createLeaderElector, type LeaderElectionOptions, type LeaderElector } from './leader-election.ts';

export type ManagerExit = { readonly code: 0 | 1; readonly reason: string; readonly error?: OperatorError };

/** What the manager needs of an informer; any Informer<T> fits. */
export type ManagedInformer = Pick<Informer<KubernetesObject>, 'kind' | 'synced' | 'start' | 'stop' | 'waitForSync'>;

export type ManagerOptions = {
  readonly log: Logger;
  readonly metrics: RuntimeMetrics;
  readonly informers: readonly ManagedInformer[];
  readonly controllers: readonly Controller[];
  /** Absent: no election, this instance always runs its controllers. */
  readonly leaderElection?: Omit<LeaderElectionOptions, 'onStartedLeading' | 'onStoppedLeading' | 'log'>;
  /** Absent: no probe server. */
  readonly probes?: { readonly host: string; readonly port: number };
  /** Time allowed for passes in progress on shutdown. Default 20 s (below a 30 s grace period). */
  readonly shutdownTimeoutMs?: number;
};

export type Manager = {
  start(): Promise<void>;
  /** Settles once the manager has fully stopped, by stop() or by losing leadership. */
  readonly exited: Promise<ManagerExit>;
  stop(reason?: string): Promise<ManagerExit>;
  readonly probeServer: ProbeServer | undefined;
  readonly isLeader: boolean;
};

export function createManager(options: ManagerOptions): Manager {
  const { log, metrics } = options;
  const shutdownMs = options.shutdownTimeoutMs ?? 20_000;
  const leaseName = options.leaderElection?.lease.name ?? '';
  const syncAbort = new AbortController();
  let elector: LeaderElector | undefined;
  let server: ProbeServer | undefined;
  let stopping: Promise<ManagerExit> | undefined;
  let controllersStarted = false;
  let resolveExit: (exit: ManagerExit) => void = () => undefined;
  const exited = new Promise<ManagerExit>((resolve) => { resolveExit = resolve; });

  const unsynced = (): string | undefined => {
    const waiting = options.informers.filter((i) => !i.synced).map((i) => kindLabel(i.kind));
    return waiting.length === 0 ? undefined : `caches not synced: ${waiting.join(', ')}`;
  };
  const electorHealthy = (): string | undefined => (elector && !elector.healthy ? 'leadership lost' : undefined);

  async function startControllers(): Promise<void> {
    try {
      await Promise.all(options.informers.map((i) => i.waitForSync(syncAbort.signal)));
    } catch {
      return; // stopping before the caches synced: nothing to start
    }
    if (stopping !== undefined || controllersStarted) return;
    controllersStarted = true;
    for (const controller of options.controllers) controller.start();
  }

  async function shutdown(reason: string, error?: OperatorError): Promise<ManagerExit> {
    log.info({ reason }, 'shutting down');
    syncAbort.abort(new Error(reason));
    // Leadership lost: another instance may already act, so stop at once rather than drain.
    const deadline = error === undefined ? shutdownMs : 1_000;
    const drained = await Promise.all(options.controllers.map((c) => c.stop(deadline)));
    if (error === undefined) await elector?.stop();
    await Promise.all(options.informers.map((i) => i.stop()));
    await server?.close();
    if (leaseName !== '') metrics.setLeader(leaseName, false);
    const timedOut = drained.includes(false)
      ? new OperatorError(ErrorCodes.SHUTDOWN_TIMEOUT, `reconciles still running after ${deadline} ms; exiting anyway`)
      : undefined;
    if (timedOut) log.warn({ err: timedOut }, 'shutdown deadline passed');
    const exit: ManagerExit = error ?? timedOut ? { code: 1, reason, error: (error ?? timedOut) as OperatorError } : { code: 0, reason };
    resolveExit(exit);
    return exit;
  }

  function stop(reason = 'stop requested', error?: OperatorError): Promise<ManagerExit> {
    stopping ??= shutdown(reason, error);
    return stopping;
  }

  function createElector(): LeaderElector | undefined {
    const le = options.leaderElection;
    if (le === undefined) return undefined;
    return createLeaderElector({
      ...le,
      log,
      onStartedLeading: () => {
        metrics.setLeader(leaseName, true);
        void startControllers();
      },
      onStoppedLeading: (error) => {
        metrics.setLeader(leaseName, false);
        if (error !== undefined) void stop('leadership lost', error);
      },
    });
  }

  return {
    async start(): Promise<void> {
      if (options.probes) {
        server = await startProbeServer({
          ...options.probes, registry: metrics.registry,
          health: [{ name: 'leader-election', check: electorHealthy }],
          readiness: [{ name: 'informers', check: unsynced }, { name: 'leader-election', check: electorHealthy }],
        });
        log.info({ host: server.host, port: server.port }, 'probe server listening');
      }
      for (const informer of options.informers) informer.start();
      elector = createElector();
      if (elector) {
        metrics.setLeader(leaseName, false);
        elector.start();
      } else {
        void startControllers();
      }
    },
    exited,
    stop: (reason) => stop(reason),
    get probeServer() { return server; },
    get isLeader() { return elector?.isLeader ?? true; },
  };
}

/** SIGTERM and SIGINT stop the manager; a second signal is left to Node's default (exit). */
export function stopOnSignals(manager: Manager, signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): () => void {
  const handlers = new Map<NodeJS.Signals, () => void>();
  const dispose = (): void => { for (const [signal, handler] of handlers) process.off(signal, handler); };
  for (const signal of signals) {
    const handler = (): void => {
      dispose();
      void manager.stop(`received ${signal}`);
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return dispose;
}
