// [root] Real nftables rules on loopback addresses no sandbox uses (127.201.4.x), in a table of
// this test's own, deleted afterwards even on failure.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { createPartitioner } from './partition.ts';
import { freePort } from './test-processes.ts';

const [podA, podB, hostPeer] = ['127.201.4.2', '127.201.4.3', '127.201.4.9'];

function hasNft(): boolean {
  try {
    execFileSync('nft', ['--version']);
    return true;
  } catch {
    return false;
  }
}
const skip = userInfo().uid !== 0 ? 'needs root' : hasNft() ? false : 'needs nft (Debian package nftables)';

/** 'ok' when a connection from `from` gets its echo back within `ms`, else 'timeout' or an error code. */
async function probe(from: string, to: string, port: number, ms = 400): Promise<string> {
  const socket = connect({ host: to, port, localAddress: from });
  try {
    return await exchange(socket, ms);
  } finally {
    socket.destroy();
  }
}
function exchange(socket: Socket, ms: number): Promise<string> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), ms);
    socket.once('error', (error: NodeJS.ErrnoException) => { clearTimeout(timer); resolve(error.code ?? 'error'); });
    socket.once('data', () => { clearTimeout(timer); resolve('ok'); });
    socket.write('x');
  });
}

describe('createPartitioner [root]', { skip }, () => {
  const partitioner = createPartitioner({ table: `og_sandbox_test_${process.pid}` });
  let server: Server;
  let port = 0;
  const accepted = new Set<Socket>();

  before(async () => {
    port = await freePort();
    server = createServer((socket) => {
      accepted.add(socket);
      socket.on('error', () => undefined);
      socket.pipe(socket);
    });
    server.listen(port, podA);
    await once(server, 'listening');
  });
  after(async () => {
    await partitioner.deleteTable();
    accepted.forEach((socket) => socket.destroy());
    server.close();
  });

  it('cuts new and established connections to and from the Pod, in both directions', async () => {
    const established = connect({ host: podA, port, localAddress: podB });
    await once(established, 'connect');
    assert.equal(await exchange(established, 400), 'ok');
    await partitioner.isolate(podA);
    assert.deepEqual(await partitioner.listIsolated(), [podA]);
    assert.equal(await exchange(established, 400), 'timeout', 'established connection stops');
    established.destroy();
    assert.equal(await probe(podB, podA, port), 'timeout', 'another Pod cannot connect');
    assert.equal(await probe('127.0.0.1', podA, port), 'timeout', 'host processes (NodePort proxy) cannot connect');
  });

  it('keeps the Pod talking to itself', async () => {
    assert.equal(await probe(podA, podA, port), 'ok');
  });

  it('keeps chosen peers open when isolating again with an allow list', async () => {
    await partitioner.isolate(podA, { allow: [hostPeer] });
    assert.equal(await probe(hostPeer, podA, port), 'ok');
    assert.equal(await probe(podB, podA, port), 'timeout');
  });

  it('heals: traffic flows again and the Pod is no longer listed', async () => {
    await partitioner.heal(podA);
    assert.deepEqual(await partitioner.listIsolated(), []);
    assert.equal(await probe(podB, podA, port), 'ok');
    await partitioner.heal(podA);
  });

  it('deletes its table on teardown', async () => {
    await partitioner.isolate(podB);
    await partitioner.deleteTable();
    assert.doesNotMatch(execFileSync('nft', ['list', 'tables']).toString(), new RegExp(`og_sandbox_test_${process.pid}`));
    assert.deepEqual(await partitioner.listIsolated(), []);
  });

  it('refuses addresses outside loopback before touching nftables', async () => {
    await assert.rejects(partitioner.isolate('10.0.0.1'), /not an IPv4 address in 127/);
  });
});
