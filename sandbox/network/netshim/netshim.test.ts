// Runs real processes under the shim on loopback addresses no sandbox uses (127.201.0.x).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureNetshim } from './ensure-netshim.ts';
import { podNetworkEnv } from './pod-network-env.ts';
import { freePort, killAll, runToEnd, spawnTracked, waitForLine } from '../test-processes.ts';

const podA = '127.201.0.2';
const podB = '127.201.0.3';
const podC = '127.201.0.4';

const serverScript = `
const net = require('node:net');
const [port, host] = [Number(process.argv[1]), process.argv[2]];
const server = net.createServer((c) => c.end(c.remoteAddress + '\\n'));
server.on('error', (e) => { console.log('error ' + e.code); process.exit(3); });
server.listen(host === '-' ? { port } : { port, host }, () => console.log('listening ' + server.address().address));`;

const clientScript = `
const net = require('node:net');
const c = net.connect({ port: Number(process.argv[1]), host: process.argv[2] }, () => {});
let data = '';
c.on('data', (d) => { data += d; });
c.on('end', () => console.log('answer ' + data.trim() + ' from ' + c.localAddress));
c.on('error', (e) => console.log('error ' + e.code));`;

const unmapped = (address: string): string => address.replace(/^::ffff:/, '');

describe('netshim', () => {
  let cacheDir = '';
  let shim = '';

  before(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'netshim-test-'));
    await chmod(cacheDir, 0o755);
    shim = await ensureNetshim({ cacheDir });
  });
  after(async () => {
    await killAll();
    await rm(cacheDir, { recursive: true, force: true });
  });

  function podEnv(podIp: string): NodeJS.ProcessEnv {
    return { ...process.env, ...podNetworkEnv(podIp, shim) };
  }
  async function startServer(podIp: string, port: number, host: string): Promise<string> {
    const child = spawnTracked(process.execPath, ['-e', serverScript, String(port), host], { env: podEnv(podIp) });
    return unmapped((await waitForLine(child, /^(listening|error)/)).split(' ')[1] ?? '');
  }
  async function ask(env: NodeJS.ProcessEnv, host: string, port: number): Promise<{ answer: string; local: string }> {
    const result = await runToEnd(process.execPath, ['-e', clientScript, String(port), host], { env });
    const match = /^answer (\S*) from (\S*)/m.exec(result.stdout);
    assert.ok(match, `client output: ${result.stdout} ${result.stderr}`);
    return { answer: unmapped(match[1] ?? ''), local: unmapped(match[2] ?? '') };
  }

  it('builds the library once and finds it in the cache afterwards', async () => {
    const again = await ensureNetshim({ cacheDir });
    assert.equal(again, shim);
    assert.ok((await stat(shim)).size > 0);
  });

  it('refuses a cache directory that Pods running as other users could not read', async () => {
    const privateDir = join(cacheDir, 'private');
    await mkdir(privateDir, { mode: 0o700 });
    await assert.rejects(ensureNetshim({ cacheDir: join(privateDir, 'cache') }), /not searchable by all users/);
  });

  it('reports a missing compiler in one line naming the Debian package', async () => {
    await assert.rejects(ensureNetshim({ cacheDir, compiler: 'gcc-that-does-not-exist' }), /not installed.*Debian package gcc/);
  });

  it('lets two pods listen on the same port with wildcard addresses, each on its own IP', async () => {
    const port = await freePort();
    assert.equal(await startServer(podA, port, '-'), podA, 'dual-stack wildcard maps to the pod IP');
    assert.equal(await startServer(podB, port, '0.0.0.0'), podB, 'IPv4 wildcard becomes the pod IP');
    assert.equal((await ask(podEnv(podC), podA, port)).answer, podC);
    assert.equal((await ask(podEnv(podC), podB, port)).answer, podC);
  });

  it('leaves processes without POD_IP on the kernel choice of 127.0.0.1', async () => {
    const port = await freePort();
    await startServer(podA, port, '-');
    const { POD_IP: _ignored, ...hostEnv } = podEnv(podA);
    assert.equal((await ask(hostEnv, podA, port)).answer, '127.0.0.1');
  });

  it('sends a pod connection to localhost to the pod own server when it listens on that port', async () => {
    const port = await freePort();
    await startServer(podA, port, '-');
    assert.deepEqual(await ask(podEnv(podA), '127.0.0.1', port), { answer: podA, local: podA });
  });

  it('keeps 127.0.0.1 as the destination when the pod has no listener there, with the pod IP as source', async () => {
    const server = createServer((c) => c.end(`${c.remoteAddress ?? ''}\n`));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as { port: number };
      assert.equal((await ask(podEnv(podA), '127.0.0.1', port)).answer, podA);
    } finally {
      await closeServer(server);
    }
  });

  it('binds a socket that listens without bind() to the pod IP', async () => {
    const script = 'use Socket; socket(S, PF_INET, SOCK_STREAM, 0) or die; listen(S, 5) or die "listen: $!"; my ($p, $a) = sockaddr_in(getsockname(S)); print inet_ntoa($a), "\\n";';
    const result = await runToEnd('perl', ['-e', script], { env: podEnv(podA) });
    assert.equal(result.stdout.trim(), podA, result.stderr);
  });

  it('refuses an IPv6-only wildcard bind so no pod grabs [::]:port', async () => {
    const script = 'use Socket qw(:all); socket(S, AF_INET6, SOCK_STREAM, 0) or die; setsockopt(S, IPPROTO_IPV6, IPV6_V6ONLY, 1) or die;'
      + ' bind(S, pack_sockaddr_in6(0, inet_pton(AF_INET6, "::"))) and print "bound\\n"; print "$!\\n";';
    const result = await runToEnd('perl', ['-e', script], { env: podEnv(podA) });
    assert.match(result.stdout, /Cannot assign requested address/);
  });

  it('sends UDP datagrams of an unbound socket from the pod IP', async () => {
    const receiver = createSocket('udp4');
    receiver.bind(0, podB);
    await once(receiver, 'listening');
    try {
      const { port } = receiver.address();
      const received = once(receiver, 'message') as Promise<[Buffer, { address: string }]>;
      const script = `use Socket; socket(S, PF_INET, SOCK_DGRAM, 0) or die; send(S, "hi", 0, sockaddr_in(${port}, inet_aton("${podB}"))) or die "send: $!";`;
      const result = await runToEnd('perl', ['-e', script], { env: podEnv(podA) });
      assert.equal(result.code, 0, result.stderr);
      const [, rinfo] = await received;
      assert.equal(rinfo.address, podA);
    } finally {
      receiver.close();
    }
  });

  it('refuses destinations outside loopback before any packet leaves (checked in a private netns)', async () => {
    // The namespace routes 10.99.0.0/16 to its own lo, so without the shim the connect would be
    // attempted (and time out) instead of failing at once; nothing can leave the namespace.
    const inner = `ip link set lo up && ip route add 10.99.0.0/16 dev lo && LD_PRELOAD='${shim}' POD_IP=${podA} timeout 5 bash -c 'exec 3<>/dev/tcp/10.99.0.1/80'`;
    const result = await runToEnd('unshare', ['--net', 'sh', '-c', inner]);
    assert.match(result.stderr, /Network is unreachable/);
  });
});

async function closeServer(server: Server): Promise<void> {
  server.close();
  await once(server, 'close');
}
