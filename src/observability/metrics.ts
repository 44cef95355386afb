// prom-client metrics under controller-runtime's names and labels, so that dashboards and
// alerts written for Go operators work unchanged (reference §4.6). One Registry per manager
// (not the global default) so tests and several managers in one process do not collide.
import { Counter, Gauge, Histogram, Registry, exponentialBuckets } from 'prom-client';
import type { ControllerMetricsHooks } from '../runtime/controller.ts';
import type { ReconcileOutcomeLabel } from '../runtime/result.ts';
import type { WorkQueue } from '../runtime/work-queue.ts';

// controller-runtime's reconcile_time_seconds buckets (pkg/internal/controller/metrics).
const reconcileBuckets = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
  1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];
// client-go's workqueue buckets: 10 ns to 10 s, ×10.
const queueBuckets = exponentialBuckets(1e-8, 10, 10);

export type RuntimeMetrics = {
  readonly registry: Registry;
  forController(name: string): ControllerMetricsHooks;
  setLeader(name: string, isLeader: boolean): void;
};

function createFamilies(registry: Registry, refreshInProgress: () => void) {
  const c = { registers: [registry] };
  const q = ['name', 'controller'] as const;
  return {
    reconcileTotal: new Counter({ ...c, name: 'controller_runtime_reconcile_total', help: 'Total number of reconciliations per controller', labelNames: ['controller', 'result'] as const }),
    reconcileErrors: new Counter({ ...c, name: 'controller_runtime_reconcile_errors_total', help: 'Total number of reconciliation errors per controller', labelNames: ['controller'] as const }),
    terminalErrors: new Counter({ ...c, name: 'controller_runtime_terminal_reconcile_errors_total', help: 'Total number of terminal reconciliation errors per controller', labelNames: ['controller'] as const }),
    reconcileTime: new Histogram({ ...c, name: 'controller_runtime_reconcile_time_seconds', help: 'Length of time per reconciliation per controller', labelNames: ['controller'] as const, buckets: reconcileBuckets }),
    activeWorkers: new Gauge({ ...c, name: 'controller_runtime_active_workers', help: 'Number of currently used workers per controller', labelNames: ['controller'] as const }),
    maxConcurrent: new Gauge({ ...c, name: 'controller_runtime_max_concurrent_reconciles', help: 'Maximum number of concurrent reconciles per controller', labelNames: ['controller'] as const }),
    depth: new Gauge({ ...c, name: 'workqueue_depth', help: 'Current depth of workqueue', labelNames: q }),
    adds: new Counter({ ...c, name: 'workqueue_adds_total', help: 'Total number of adds handled by workqueue', labelNames: q }),
    queueDuration: new Histogram({ ...c, name: 'workqueue_queue_duration_seconds', help: 'How long in seconds an item stays in workqueue before being requested', labelNames: q, buckets: queueBuckets }),
    workDuration: new Histogram({ ...c, name: 'workqueue_work_duration_seconds', help: 'How long in seconds processing an item from workqueue takes', labelNames: q, buckets: queueBuckets }),
    unfinished: new Gauge({ ...c, name: 'workqueue_unfinished_work_seconds', help: 'How many seconds of work has been done that is in progress and hasn\'t been observed by work_duration', labelNames: q, collect: refreshInProgress }),
    longest: new Gauge({ ...c, name: 'workqueue_longest_running_processor_seconds', help: 'How many seconds has the longest running processor for workqueue been running', labelNames: q }),
    retries: new Counter({ ...c, name: 'workqueue_retries_total', help: 'Total number of retries handled by workqueue', labelNames: q }),
    leader: new Gauge({ ...c, name: 'leader_election_master_status', help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master', labelNames: ['name'] as const }),
  };
}

export function createRuntimeMetrics(registry: Registry = new Registry()): RuntimeMetrics {
  const queues = new Map<string, WorkQueue>();
  // The in-progress gauges are computed when scraped, from the queues' running keys.
  const refresh = (): void => {
    for (const [name, queue] of queues) {
      const running = queue.runningSeconds();
      f.unfinished.set({ name, controller: name }, running.reduce((a, b) => a + b, 0));
      f.longest.set({ name, controller: name }, running.length === 0 ? 0 : Math.max(...running));
    }
  };
  const f = createFamilies(registry, refresh);

  function forController(name: string): ControllerMetricsHooks {
    const ql = { name, controller: name };
    f.reconcileErrors.inc({ controller: name }, 0);
    f.terminalErrors.inc({ controller: name }, 0);
    for (const result of ['success', 'error', 'requeue', 'requeue_after'] as const) f.reconcileTotal.inc({ controller: name, result }, 0);
    return {
      queue: {
        added: () => f.adds.inc(ql),
        depth: (n) => f.depth.set(ql, n),
        queued: (s) => f.queueDuration.observe(ql, s),
        worked: (s) => f.workDuration.observe(ql, s),
        retried: () => f.retries.inc(ql),
      },
      reconciled: (outcome: ReconcileOutcomeLabel, seconds: number) => {
        f.reconcileTotal.inc({ controller: name, result: outcome });
        f.reconcileTime.observe({ controller: name }, seconds);
      },
      errored: (terminal) => {
        f.reconcileErrors.inc({ controller: name });
        if (terminal) f.terminalErrors.inc({ controller: name });
      },
      activeWorkers: (delta) => f.activeWorkers.inc({ controller: name }, delta),
      maxConcurrent: (n) => f.maxConcurrent.set({ controller: name }, n),
      attachQueue: (queue) => {
        queues.set(name, queue);
        f.depth.set(ql, queue.length);
      },
    };
  }

  return {
    registry,
    forController,
    setLeader: (name, isLeader) => f.leader.set({ name }, isLeader ? 1 : 0),
  };
}
