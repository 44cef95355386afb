import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { startProbeServer } from './probe-server.ts';

describe('probe server', () => {
  it('answers /healthz, /readyz from its checks and /metrics from the registry, on the given address', async () => {
    let synced = false;
    const registry = new Registry();
    const server = await startProbeServer({
      host: '127.0.0.1', port: 0, registry,
      health: [{ name: 'ping', check: () => undefined }],
      readiness: [{ name: 'informers', check: () => (synced ? undefined : 'caches not synced: pods') }],
    });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      assert.equal(server.host, '127.0.0.1');
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      const notReady = await fetch(`${base}/readyz`);
      assert.equal(notReady.status, 503);
      assert.match(await notReady.text(), /\[-\]informers failed: caches not synced: pods/);
      synced = true;
      assert.equal(await (await fetch(`${base}/readyz`)).text(), 'ok\n');
      const metrics = await fetch(`${base}/metrics`);
      assert.equal(metrics.status, 200);
      assert.match(metrics.headers.get('content-type') ?? '', /text\/plain/);
      assert.equal((await fetch(`${base}/nope`)).status, 404);
    } finally {
      await server.close();
    }
  });
});
