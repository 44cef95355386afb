import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createWorkQueue } from '../runtime/work-queue.ts';
import { createRuntimeMetrics } from './metrics.ts';

describe('runtime metrics', () => {
  it('exposes controller-runtime\'s metric names and labels', async () => {
    const metrics = createRuntimeMetrics();
    const hooks = metrics.forController('opengausscluster');
    const queue = createWorkQueue({ metrics: hooks.queue });
    hooks.attachQueue(queue);
    hooks.maxConcurrent(4);
    queue.add('ns/a');
    await queue.get();
    hooks.reconciled('success', 0.02);
    hooks.errored(true);
    metrics.setLeader('opengauss-operator-lock', true);
    const text = await metrics.registry.metrics();
    const names = [
      'controller_runtime_reconcile_total', 'controller_runtime_reconcile_errors_total', 'controller_runtime_terminal_reconcile_errors_total',
      'controller_runtime_reconcile_time_seconds', 'controller_runtime_active_workers', 'controller_runtime_max_concurrent_reconciles',
      'workqueue_depth', 'workqueue_adds_total', 'workqueue_queue_duration_seconds', 'workqueue_work_duration_seconds',
      'workqueue_unfinished_work_seconds', 'workqueue_longest_running_processor_seconds', 'workqueue_retries_total', 'leader_election_master_status',
    ];
    for (const name of names) assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), `${name} is exposed`);
    assert.match(text, /^controller_runtime_reconcile_total\{controller="opengausscluster",result="success"\} 1$/m);
    assert.match(text, /^controller_runtime_reconcile_total\{controller="opengausscluster",result="requeue_after"\} 0$/m);
    assert.match(text, /^controller_runtime_terminal_reconcile_errors_total\{controller="opengausscluster"\} 1$/m);
    assert.match(text, /^workqueue_adds_total\{name="opengausscluster",controller="opengausscluster"\} 1$/m);
    assert.match(text, /^workqueue_longest_running_processor_seconds\{name="opengausscluster",controller="opengausscluster"\} \d/m);
    assert.match(text, /^leader_election_master_status\{name="opengauss-operator-lock"\} 1$/m);
    assert.match(text, /^controller_runtime_max_concurrent_reconciles\{controller="opengausscluster"\} 4$/m);
  });
});
