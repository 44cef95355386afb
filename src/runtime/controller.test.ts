import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { kubeApiErrorFromStatus } from '../kube/kube-api-error.ts';
import { createLogger } from '../observability/logger.ts';
import type { KubernetesObject } from '@kubernetes/client-node';
import { createController, type ControllerMetricsHooks, type ReconcileFn } from './controller.ts';
import type { Informer, InformerHandler } from './informer.ts';
import { Result, TerminalError } from './result.ts';

function collectingLogger() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ level: 'debug', destination: { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>); } } });
  return { log, lines };
}

function recordingMetrics() {
  const seen = { outcomes: [] as string[], errors: 0, terminal: 0, active: 0, maxActive: 0, max: 0 };
  const hooks: ControllerMetricsHooks = {
    queue: { added() {}, depth() {}, queued() {}, worked() {}, retried() {} },
    reconciled: (o) => { seen.outcomes.push(o); },
    errored: (t) => { seen.errors++; if (t) seen.terminal++; },
    activeWorkers: (d) => { seen.active += d; seen.maxActive = Math.max(seen.maxActive, seen.active); },
    maxConcurrent: (n) => { seen.max = n; },
    attachQueue() {},
  };
  return { hooks, seen };
}

const until = async (cond: () => boolean, ms = 2000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(2);
  }
};

describe('controller driver', () => {
  it('runs distinct keys in parallel but never one key twice at once', async () => {
    const running = new Set<string>();
    let overlap = false;
    const passes: string[] = [];
    const reconcile: ReconcileFn = async ({ key }) => {
      if (running.has(key)) overlap = true;
      running.add(key);
      await sleep(15);
      running.delete(key);
      passes.push(key);
      return Result.done();
    };
    const { hooks, seen } = recordingMetrics();
    const c = createController({ name: 't', reconcile, log: collectingLogger().log, workers: 3, metrics: hooks });
    c.start();
    for (const k of ['ns/a', 'ns/b', 'ns/c']) c.enqueue(k);
    await sleep(5);
    c.enqueue('ns/a'); // arrives while ns/a runs: runs again after it
    await until(() => passes.length === 4);
    assert.equal(overlap, false);
    assert.equal(seen.maxActive, 3);
    assert.equal(seen.max, 3);
    assert.deepEqual(passes.filter((k) => k === 'ns/a').length, 2);
    assert.equal(await c.stop(1000), true);
  });

  it('requeues at once on a 409 without counting an error, backs off other errors, and stops retrying a terminal error', async () => {
    const calls: Record<string, number> = {};
    const reconcile: ReconcileFn = ({ key }) => {
      calls[key] = (calls[key] ?? 0) + 1;
      const n = calls[key];
      if (key === 'ns/conflict' && n === 1) throw kubeApiErrorFromStatus('patch', key, 409, { reason: 'Conflict' });
      if (key === 'ns/flaky' && n <= 2) return Promise.resolve(Result.retry(new Error('503')));
      if (key === 'ns/broken') throw new TerminalError('spec.replicas must be odd');
      return Promise.resolve(Result.done());
    };
    const { hooks, seen } = recordingMetrics();
    const terminal: string[] = [];
    const c = createController({ name: 't', reconcile, log: collectingLogger().log, workers: 2, metrics: hooks, onTerminal: (ctx) => { terminal.push(ctx.key); } });
    c.start();
    for (const k of ['ns/conflict', 'ns/flaky', 'ns/broken']) c.enqueue(k);
    await until(() => calls['ns/conflict'] === 2 && calls['ns/flaky'] === 3 && terminal.length === 1);
    await sleep(50);
    assert.equal(calls['ns/broken'], 1, 'a terminal failure is not retried');
    assert.equal(seen.errors, 3, 'two retries and one terminal; the conflict is not an error');
    assert.equal(seen.terminal, 1);
    assert.deepEqual([...seen.outcomes].sort(), ['error', 'error', 'error', 'requeue', 'success', 'success'].sort());
    assert.equal(c.queue.retries('ns/flaky'), 0, 'forgotten after success');
    await c.stop(1000);
  });

  it('enqueues on adds and deletes, and on updates only when the update filter accepts them', async () => {
    const seen: string[] = [];
    const reconcile: ReconcileFn = (ctx) => { seen.push(ctx.key); return Promise.resolve(Result.done()); };
    const c = createController({ name: 't', reconcile, log: collectingLogger().log });
    let handler: InformerHandler<KubernetesObject> = {};
    const informer = { addHandler: (h: InformerHandler<KubernetesObject>) => { handler = h; } } as unknown as Informer<KubernetesObject>;
    const labelOf = (o: KubernetesObject): string => o.metadata?.labels?.['x'] ?? '';
    c.watch(informer, (o) => [`ns/${o.metadata?.name ?? ''}`], (old, now) => labelOf(old) !== labelOf(now));
    c.start();
    const obj = (name: string, x: string): KubernetesObject => ({ metadata: { name, labels: { x } } });
    handler.onAdd?.(obj('a', '1'));
    await until(() => seen.length === 1);
    handler.onUpdate?.(obj('b', '1'), obj('b', '1'));
    handler.onUpdate?.(obj('c', '1'), obj('c', '2'));
    handler.onDelete?.(obj('d', '2'));
    await until(() => seen.length === 3);
    await sleep(20);
    assert.deepEqual(seen, ['ns/a', 'ns/c', 'ns/d']);
    await c.stop(1000);
  });

  it('requeues after the requested delay', async () => {
    const at: number[] = [];
    const c = createController({ name: 't', log: collectingLogger().log, reconcile: () => {
      at.push(Date.now());
      return Promise.resolve(at.length === 1 ? Result.requeueAfter(40, 'waiting for a step') : Result.done());
    } });
    c.start();
    c.enqueue('ns/a');
    await until(() => at.length === 2);
    assert.ok((at[1] ?? 0) - (at[0] ?? 0) >= 39);
    await c.stop(1000);
  });

  it('warns when a pass exceeds its time budget', async () => {
    const { log, lines } = collectingLogger();
    const c = createController({ name: 't', log, budgetMs: 10, reconcile: async () => { await sleep(40); return Result.done(); } });
    c.start();
    c.enqueue('ns/slow');
    await until(() => lines.some((l) => l['msg'] === 'reconcile exceeded its time budget'));
    const line = lines.find((l) => l['msg'] === 'reconcile exceeded its time budget');
    assert.equal(line?.['name'], 'slow');
    assert.equal(line?.['controller'], 't');
    await c.stop(1000);
  });

  it('waits for passes in progress on stop, and reports false when they outlast the deadline', async () => {
    let aborted = false;
    const c = createController({ name: 't', log: collectingLogger().log, reconcile: async ({ signal }) => {
      await new Promise((r) => { signal.addEventListener('abort', r); setTimeout(r, 300); });
      aborted = signal.aborted;
      return Result.done();
    } });
    c.start();
    c.enqueue('ns/long');
    await sleep(5);
    assert.equal(await c.stop(30), false);
    await sleep(5);
    assert.equal(aborted, true, 'the handler saw its signal abort at the deadline');
  });
});
