// The whole runtime wired by the manager against the real API server: informer, controller,
// leader election, probe server and metrics; SIGTERM drains, releases the Lease and exits 0.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Namespace } from '@kubernetes/client-node';
import { createKubeClient } from '../../src/kube/client.ts';
import { defineKind, Kinds } from '../../src/kube/kinds.ts';
import { createWatchSource } from '../../src/kube/watch-source.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { createRuntimeMetrics } from '../../src/observability/metrics.ts';
import { createController } from '../../src/runtime/controller.ts';
import { createInformer } from '../../src/runtime/informer.ts';
import { mapToSelf } from '../../src/runtime/keys.ts';
import { createManager, stopOnSignals } from '../../src/runtime/manager.ts';
import { Result } from '../../src/runtime/result.ts';
import { sharedConnection } from '../support/env.ts';

const NamespaceKind = defineKind<V1Namespace>({ group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, model: 'V1Namespace' });

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const connection = await sharedConnection();

describe('runtime: manager against the real API server', () => {
  const client = createKubeClient(connection);
  const ns = `rt-manager-${randomBytes(3).toString('hex')}`;

  before(async () => { await client.create(NamespaceKind, { metadata: { name: ns } }); });
  after(async () => { await client.delete(NamespaceKind, { namespace: '', name: ns }); });

  it('reconciles watched objects once leading, serves probes and metrics, and on SIGTERM drains and releases the Lease', async () => {
    const log = silentLogger();
    const metrics = createRuntimeMetrics();
    const informer = createInformer({ kind: Kinds.ConfigMap, source: createWatchSource(connection, client, Kinds.ConfigMap, { namespace: ns }), log });
    const reconciled = new Set<string>();
    const controller = createController({
      name: 'rt-configmaps', log, workers: 2, metrics: metrics.forController('rt-configmaps'),
      reconcile: ({ key }) => { reconciled.add(key); return Promise.resolve(Result.done()); },
    });
    controller.watch(informer, mapToSelf);
    const lease = { namespace: ns, name: 'rt-manager-lock' };
    const manager = createManager({
      log, metrics, informers: [informer], controllers: [controller],
      leaderElection: { client, lease, identity: 'rt-manager-0' }, probes: { host: '127.0.0.1', port: 0 },
    });
    const disposeSignals = stopOnSignals(manager);
    try {
      await manager.start();
      const base = `http://127.0.0.1:${manager.probeServer?.port ?? 0}`;
      await until('readiness', async () => (await fetch(`${base}/readyz`)).status === 200);
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      await until('leadership', () => manager.isLeader);
      await client.apply(Kinds.ConfigMap, { metadata: { name: 'one', namespace: ns } });
      await until('the reconcile of ns/one', () => reconciled.has(`${ns}/one`));

      const text = await (await fetch(`${base}/metrics`)).text();
      assert.match(text, /^controller_runtime_reconcile_total\{controller="rt-configmaps",result="success"\} [1-9]/m);
      assert.match(text, /^leader_election_master_status\{name="rt-manager-lock"\} 1$/m);
      assert.match(text, /^workqueue_adds_total\{name="rt-configmaps",controller="rt-configmaps"\} [1-9]/m);

      process.emit('SIGTERM');
      const exit = await manager.exited;
      assert.deepEqual({ code: exit.code, reason: exit.reason }, { code: 0, reason: 'received SIGTERM' });
      const released = await client.get(Kinds.Lease, lease);
      assert.equal(released?.spec?.holderIdentity, '');
      assert.equal(released?.spec?.leaseDurationSeconds, 1);
      await assert.rejects(fetch(`${base}/healthz`), 'the probe server is closed');
    } finally {
      disposeSignals();
      await manager.stop();
    }
  });
});
