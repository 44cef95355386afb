// The network plugin as the node agent drives it: env for containers, NodePorts from snapshots.
// Real sockets on loopback addresses no sandbox uses (127.201.9.x).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { accessSync, constants } from 'node:fs';
import { connect, createServer } from 'node:net';
import { once } from 'node:events';
import type { ApiClient } from '../node-agent/api-client.ts';
import { silentLogger } from '../node-agent/log.ts';
import { aPod, aService } from './fixtures.ts';
import { createNetworkPlugin, nodePortAddresses } from './node-plugin.ts';
import { freePort } from './test-processes.ts';

const ctx = { nodeName: 'node-9', nodeIndex: 201, nodeIp: '127.201.9.1', stateDir: '/nonexistent-og-test', api: {} as ApiClient, log: silentLogger };

describe('network node plugin', () => {
  it('serves NodePorts on the node IP of its own and on 127.0.0.1 shared with every other node', () => {
    assert.deepEqual(nodePortAddresses('127.10.1.1'), { own: ['127.10.1.1'], shared: ['127.0.0.1'] });
    assert.deepEqual(nodePortAddresses('127.10.2.1'), { own: ['127.10.2.1'], shared: ['127.0.0.1'] });
  });

  it('gives containers the netshim and POD_IP, and forwards a NodePort on both addresses to a ready Pod', async () => {
    const network = await createNetworkPlugin(ctx);
    const backend = createServer((socket) => socket.end('pod says hi\n'));
    try {
      const env = network.containerEnv({ namespace: 'ns', name: 'db-0', uid: 'u', podIp: '127.201.9.5' });
      assert.equal(env['POD_IP'], '127.201.9.5');
      assert.match(env['LD_PRELOAD'] ?? '', /node_modules\/\.cache\/og-netshim\/[0-9a-f]+\/libnetshim\.so$/, 'outside /tmp, which containers see privately');
      accessSync(env['LD_PRELOAD'] ?? '', constants.R_OK);

      const port = await freePort();
      backend.listen(port, '127.201.9.5');
      await once(backend, 'listening');
      const nodePort = await freePort();
      network.servicesChanged([aService({ ports: [{ port, targetPort: port, nodePort, protocol: 'TCP' }] })]);
      network.podsChanged([aPod({ name: 'db-0', ip: '127.201.9.5', node: ctx.nodeName })]);
      for (const host of [ctx.nodeIp, '127.0.0.1']) {
        const reply = await retry(async () => {
          const socket = connect({ host, port: nodePort });
          let text = '';
          socket.on('data', (chunk: Buffer) => { text += chunk.toString(); });
          await once(socket, 'close');
          return text;
        }, (text) => text === 'pod says hi\n');
        assert.equal(reply, 'pod says hi\n', host);
      }
    } finally {
      backend.close();
      await network.close();
    }
  });
});

async function retry<T>(attempt: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 40; i++) {
    last = await attempt().catch(() => undefined);
    if (last !== undefined && ok(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no answer through the NodePort (last: ${String(last)})`);
}
