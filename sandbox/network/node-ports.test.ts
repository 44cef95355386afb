// Real sockets on loopback addresses no sandbox uses (127.201.2.x).
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { createNodePortProxy, type NodePortProxy } from './node-ports.ts';
import { aPod, aService } from './fixtures.ts';
import { freePort } from './test-processes.ts';

const nodeIp = '127.201.2.1';
const secondAddress = '127.201.2.254';
const node2Ip = '127.201.3.1';

const podSockets = new Set<Socket>();

/** A Pod's server: greets with its name, then echoes. */
async function podServer(ip: string, port: number, name: string): Promise<Server> {
  const server = createServer((socket) => {
    podSockets.add(socket);
    socket.write(`${name}\n`);
    socket.pipe(socket);
    socket.on('error', () => undefined);
  });
  server.listen(port, ip);
  await once(server, 'listening');
  return server;
}

type Client = { socket: Socket; greeting: string };
async function dial(host: string, port: number): Promise<Client> {
  const socket = connect({ host, port });
  const greeting = await new Promise<string>((resolve, reject) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => { text += chunk.toString(); if (text.includes('\n')) resolve(text.trim()); });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('closed before greeting')));
  });
  return { socket, greeting };
}
/** Resolves on close with the error code that came before it, or 'clean'. */
function closedWith(socket: Socket): Promise<string> {
  let code = 'clean';
  socket.on('error', (error: NodeJS.ErrnoException) => { code = error.code ?? 'error'; });
  return new Promise((resolve) => socket.once('close', () => resolve(code)));
}
async function dialError(host: string, port: number): Promise<string> {
  try {
    const client = await dial(host, port);
    client.socket.destroy();
    return `connected to ${client.greeting}`;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}

describe('createNodePortProxy', () => {
  let proxies: NodePortProxy[] = [];
  let servers: Server[] = [];
  let nodePort = 0;
  let podPort = 0;

  beforeEach(async () => {
    nodePort = await freePort();
    podPort = await freePort();
    servers = await Promise.all([podServer('127.201.2.2', podPort, 'a'), podServer('127.201.2.3', podPort, 'b')]);
  });
  afterEach(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    proxies = [];
    podSockets.forEach((socket) => socket.destroy());
    podSockets.clear();
    await Promise.all(servers.map(async (s) => { s.close(); await once(s, 'close'); }));
  });

  function proxy(listenAddresses: string[] = [nodeIp, secondAddress], nodeName = 'node-1'): NodePortProxy {
    const created = createNodePortProxy({ listenAddresses, nodeName });
    proxies.push(created);
    return created;
  }
  const service = (extra: Parameters<typeof aService>[0] extends infer F ? Partial<F> : never = {}) =>
    aService({ ports: [{ name: 'pg', port: 5432, targetPort: podPort, nodePort }], ...extra });
  const pods = (readyA = true, readyB = true) => [aPod({ name: 'a', ip: '127.201.2.2', ready: readyA }), aPod({ name: 'b', ip: '127.201.2.3', ready: readyB })];

  it('forwards new connections round-robin to the ready Pods, on every listen address', async () => {
    const p = proxy();
    p.update([service()], pods());
    await p.settled();
    assert.deepEqual(p.listeningPorts(), [nodePort]);
    const greetings = [];
    for (const host of [nodeIp, nodeIp, secondAddress, secondAddress]) {
      const client = await dial(host, nodePort);
      greetings.push(client.greeting);
      client.socket.destroy();
    }
    assert.deepEqual(greetings, ['a', 'b', 'a', 'b']);
  });

  it('pipes data both ways', async () => {
    const p = proxy();
    p.update([service()], pods(true, false));
    await p.settled();
    const client = await dial(nodeIp, nodePort);
    const echoed = new Promise<string>((resolve) => client.socket.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    client.socket.write('ping');
    assert.equal(await echoed, 'ping');
    client.socket.destroy();
  });

  it('refuses connections with a reset while no Pod is ready', async () => {
    const p = proxy();
    p.update([service()], pods(false, false));
    await p.settled();
    assert.equal(await dialError(nodeIp, nodePort), 'ECONNRESET');
  });

  it('closes established connections to a Pod that stops being ready, and sends new ones elsewhere', async () => {
    const p = proxy();
    p.update([service()], pods(true, false));
    await p.settled();
    const toA = await dial(nodeIp, nodePort);
    assert.equal(toA.greeting, 'a');
    const closed = closedWith(toA.socket);
    p.update([service()], pods(false, true));
    assert.equal(await closed, 'ECONNRESET', 'the client sees a reset, as from a dead server');
    assert.equal(p.connectionCount(), 0);
    const toB = await dial(nodeIp, nodePort);
    assert.equal(toB.greeting, 'b');
    toB.socket.destroy();
  });

  it('keeps connections to a Pod that is still a backend when others change', async () => {
    const p = proxy();
    p.update([service()], pods(true, false));
    await p.settled();
    const toA = await dial(nodeIp, nodePort);
    p.update([service()], pods(true, true));
    const echoed = new Promise<string>((resolve) => toA.socket.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    toA.socket.write('still here');
    assert.equal(await echoed, 'still here');
    assert.equal(p.connectionCount(), 1);
    toA.socket.destroy();
  });

  it('stops listening and closes connections when the Service is deleted', async () => {
    const p = proxy();
    p.update([service()], pods());
    await p.settled();
    const client = await dial(nodeIp, nodePort);
    const closed = closedWith(client.socket);
    p.update([], pods());
    await closed;
    assert.deepEqual(p.listeningPorts(), []);
    assert.equal(await dialError(nodeIp, nodePort), 'ECONNREFUSED');
  });

  it('lets two node agents serve the same NodePort on their own node IPs', async () => {
    const node1 = proxy([nodeIp]);
    const node2 = proxy([node2Ip], 'node-2');
    node1.update([service()], pods(true, false));
    node2.update([service()], pods(true, false));
    await Promise.all([node1.settled(), node2.settled()]);
    for (const host of [nodeIp, node2Ip]) {
      const client = await dial(host, nodePort);
      assert.equal(client.greeting, 'a');
      client.socket.destroy();
    }
  });

  it('lets every node agent serve the same NodePort on the shared address, which answers while one of them is up', async () => {
    const shared = '127.201.2.250';
    const node1 = createNodePortProxy({ listenAddresses: [nodeIp], sharedAddresses: [shared], nodeName: 'node-1' });
    const node2 = createNodePortProxy({ listenAddresses: [node2Ip], sharedAddresses: [shared], nodeName: 'node-2' });
    proxies.push(node1, node2);
    for (const p of [node1, node2]) p.update([service()], pods(true, false));
    await Promise.all([node1.settled(), node2.settled()]);
    assert.deepEqual([node1.listeningPorts(), node2.listeningPorts()], [[nodePort], [nodePort]], 'the second listener joined the first (SO_REUSEPORT)');
    await node1.close();
    // Connections the kernel would have spread to node 1 now all reach node 2.
    for (let i = 0; i < 8; i++) {
      const client = await dial(shared, nodePort);
      assert.equal(client.greeting, 'a');
      client.socket.destroy();
    }
    assert.equal(await dialError(nodeIp, nodePort), 'ECONNREFUSED', 'node 1 own address went with it');
  });

  it('keeps off a shared address another sandbox serves, still serving its own, and joins once allowed', async () => {
    const shared = '127.201.2.250';
    let refusal: string | undefined = 'served by another sandbox';
    const p = createNodePortProxy({ listenAddresses: [nodeIp], sharedAddresses: [shared], refuseShared: () => refusal, nodeName: 'node-1' });
    proxies.push(p);
    p.update([service()], pods());
    await p.settled();
    assert.deepEqual(p.listeningPorts(), [], 'not on every address');
    assert.equal(await dialError(shared, nodePort), 'ECONNREFUSED');
    assert.match(await dialError(nodeIp, nodePort), /^connected to /);
    refusal = undefined;
    p.update([service()], pods());
    await p.settled();
    assert.deepEqual(p.listeningPorts(), [nodePort]);
    assert.match(await dialError(shared, nodePort), /^connected to /);
  });

  it('re-routes new connections and resets established ones when a Pod loses the selected label', async () => {
    const p = proxy();
    p.update([service()], pods());
    await p.settled();
    const toA = await dial(nodeIp, nodePort);
    const toB = await dial(nodeIp, nodePort);
    assert.deepEqual([toA.greeting, toB.greeting], ['a', 'b']);
    const closed = closedWith(toA.socket);
    p.update([service()], [aPod({ name: 'a', ip: '127.201.2.2', labels: { app: 'retired' } }), aPod({ name: 'b', ip: '127.201.2.3' })]);
    assert.equal(await closed, 'ECONNRESET');
    for (let i = 0; i < 3; i++) {
      const client = await dial(nodeIp, nodePort);
      assert.equal(client.greeting, 'b');
      client.socket.destroy();
    }
    toB.socket.destroy();
  });

  it('sends one client address to the same Pod with ClientIP session affinity', async () => {
    const p = proxy();
    p.update([service({ sessionAffinity: 'ClientIP' })], pods());
    await p.settled();
    const greetings = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const client = await dial(nodeIp, nodePort);
      greetings.add(client.greeting);
      client.socket.destroy();
    }
    assert.equal(greetings.size, 1);
  });

  it('retries a listener that failed (port taken) on the next update', async () => {
    const squatter = createServer();
    squatter.listen(nodePort, nodeIp);
    await once(squatter, 'listening');
    const p = proxy([nodeIp]);
    p.update([service()], pods());
    await p.settled();
    assert.deepEqual(p.listeningPorts(), []);
    squatter.close();
    await once(squatter, 'close');
    p.update([service()], pods());
    await p.settled();
    assert.deepEqual(p.listeningPorts(), [nodePort]);
  });

  it('refuses listen addresses outside loopback', () => {
    assert.throws(() => createNodePortProxy({ listenAddresses: ['0.0.0.0'], nodeName: 'n' }), /only talks to 127/);
  });
});
