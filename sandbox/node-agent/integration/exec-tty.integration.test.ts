// Exec and logs as a terminal client sees them, through a private control plane's apiserver
// (issue 4): a TTY exec's window size follows resize frames, a signal's exit status is 128+signo,
// the v4 protocol carries stdin and the exit status, and `kubectl logs -f` streams new lines and
// ends with the container. kubectl cannot send a resize without a real terminal, so the exec
// WebSocket is opened here, with the admin kubeconfig's client certificate.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { WebSocket } from 'ws';
import { containerStatus, createNamespace, createObject, getPod, kubectl, shellPod, waitFor } from './helpers.ts';
import { startTestCluster, type TestCluster } from './test-cluster.ts';

const ns = 'exec-tty-it';
const node = { name: 'itnode5', index: 205 };
const podsPath = `/api/v1/namespaces/${ns}/pods`;
const streamTimeoutMs = 20_000;
let cluster: TestCluster;

type ExecOptions = { readonly protocol: 'v5.channel.k8s.io' | 'v4.channel.k8s.io'; readonly tty: boolean; readonly stdin: boolean };

type ExecStream = {
  readonly protocol: string;
  stdout(): string;
  stderr(): string;
  send(channel: number, data: string): void;
  /** The exit code from the Status on the error channel. */
  readonly exitCode: Promise<number>;
  close(): void;
};

function clientCredentials(): { server: string; ca: string; cert: string; key: string } {
  type Kubeconfig = { clusters: { cluster: { server: string; 'certificate-authority-data'?: string } }[]; users: { user: { 'client-certificate-data'?: string; 'client-key-data'?: string } }[] };
  const config = parse(readFileSync(cluster.plane.kubeconfigPath, 'utf8')) as Kubeconfig;
  const server = config.clusters[0]?.cluster;
  const user = config.users[0]?.user;
  const [ca, cert, key] = [server?.['certificate-authority-data'], user?.['client-certificate-data'], user?.['client-key-data']];
  if (server === undefined || ca === undefined || cert === undefined || key === undefined) throw new Error('admin kubeconfig lacks the server, its CA or a client certificate');
  const decode = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');
  return { server: server.server, ca: decode(ca), cert: decode(cert), key: decode(key) };
}

function exitCodeOf(status: string): number {
  const parsed = JSON.parse(status) as { status?: string; message?: string; details?: { causes?: { reason?: string; message?: string }[] } };
  if (parsed.status === 'Success') return 0;
  const cause = parsed.details?.causes?.find((c) => c.reason === 'ExitCode');
  if (cause?.message === undefined) throw new Error(`exec failed: ${parsed.message ?? status}`);
  return Number(cause.message);
}

/** The exec subresource's WebSocket, as client-go opens it: one command parameter per argument. */
async function openExec(pod: string, command: readonly string[], options: ExecOptions): Promise<ExecStream> {
  const { server, ca, cert, key } = clientCredentials();
  const query = new URLSearchParams(command.map((c): [string, string] => ['command', c]));
  query.set('stdout', 'true');
  if (options.stdin) query.set('stdin', 'true');
  if (options.tty) query.set('tty', 'true');
  else query.set('stderr', 'true');
  const url = new URL(`/api/v1/namespaces/${ns}/pods/${pod}/exec?${query.toString()}`, server.replace(/^https:/, 'wss:'));
  const ws = new WebSocket(url, [options.protocol], { ca, cert, key });
  const output = { stdout: '', stderr: '' };
  const exitCode = new Promise<number>((resolve, reject) => {
    ws.on('message', (data: Buffer) => {
      const payload = data.subarray(1).toString('utf8');
      if (data[0] === 1) output.stdout += payload;
      else if (data[0] === 2) output.stderr += payload;
      else if (data[0] === 3) {
        try {
          resolve(exitCodeOf(payload));
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      }
    });
    ws.on('close', () => reject(new Error(`exec stream closed without a status; stdout ${JSON.stringify(output.stdout)}`)));
    ws.on('error', reject);
  });
  exitCode.catch(() => undefined); // awaited by the tests that care
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`exec upgrade refused: ${String(res.statusCode)}`)));
  });
  return {
    protocol: ws.protocol,
    stdout: () => output.stdout,
    stderr: () => output.stderr,
    send: (channel, data) => ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(data)])),
    exitCode,
    close: () => ws.terminate(),
  };
}

async function outputMatching(stream: ExecStream, pattern: RegExp): Promise<void> {
  await waitFor(`exec output matching ${String(pattern)}`, () => Promise.resolve(pattern.test(stream.stdout()) ? true : undefined), streamTimeoutMs);
}

const resizeFrame = (width: number, height: number): string => JSON.stringify({ Width: width, Height: height });

async function runningPod(name: string): Promise<void> {
  await waitFor(`${name} running`, async () => {
    const pod = await getPod(cluster.admin, ns, name);
    return pod?.status?.phase === 'Running' && containerStatus(pod)?.ready === true ? true : undefined;
  });
}

type FollowedLogs = { output(): string; readonly ended: Promise<number> };

/** `kubectl logs -f`, killed if it outlives the test's patience so a broken follow fails, not hangs. */
function followLogs(pod: string, extra: readonly string[] = []): FollowedLogs {
  const child = spawn(cluster.plane.kubectlPath, ['--kubeconfig', cluster.plane.kubeconfigPath, '-n', ns, 'logs', '-f', ...extra, pod], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const ended = new Promise<number>((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal === null ? -1 : -2));
    });
  });
  return { output: () => output, ended };
}

describe('exec TTY, resize, exit statuses and logs follow through the apiserver', { timeout: 300_000 }, () => {
  before(async () => {
    cluster = await startTestCluster([node]);
    await createNamespace(cluster.admin, ns);
    await createObject(cluster.admin, podsPath, shellPod('shell', node.name, 'exec sleep 3600'));
    await runningPod('shell');
  });

  after(async () => {
    await cluster?.close();
  });

  it('sizes the TTY from resize frames: the first before the pty exists, then a change the program sees as SIGWINCH', async () => {
    const stream = await openExec('shell', ['sh', '-c', `trap 'stty size' WINCH; stty size; echo ready; while :; do sleep 0.1; done`], { protocol: 'v5.channel.k8s.io', tty: true, stdin: true });
    // Sent at once, as kubectl does: the agent has not made the pty yet and must apply it later.
    stream.send(4, resizeFrame(100, 30));
    await outputMatching(stream, /^30 100\r$/m);
    await outputMatching(stream, /^ready\r$/m);
    stream.send(4, resizeFrame(132, 43));
    await outputMatching(stream, /^43 132\r$/m);
    // Ctrl-C through the terminal's line discipline interrupts the loop: 128 + SIGINT.
    stream.send(0, '\x03');
    assert.equal(await stream.exitCode, 130);
  });

  it('reports 143 for a command killed by SIGTERM, with and without a TTY', async () => {
    const killed = ['sh', '-c', 'echo before; kill -TERM $$; echo after'];
    const plain = await openExec('shell', killed, { protocol: 'v5.channel.k8s.io', tty: false, stdin: false });
    assert.equal(await plain.exitCode, 143);
    assert.equal(plain.stdout(), 'before\n');
    const tty = await openExec('shell', killed, { protocol: 'v5.channel.k8s.io', tty: true, stdin: false });
    assert.equal(await tty.exitCode, 143);
    const viaKubectl = await kubectl(cluster, ['-n', ns, 'exec', 'shell', '--', ...killed]);
    assert.equal(viaKubectl.code, 143);
  });

  it('speaks v4.channel.k8s.io: stdin in, stdout and stderr out, the exit status at the end', async () => {
    const stream = await openExec('shell', ['sh', '-c', 'read line; echo "got $line"; echo oops >&2; exit 7'], { protocol: 'v4.channel.k8s.io', tty: false, stdin: true });
    assert.equal(stream.protocol, 'v4.channel.k8s.io');
    stream.send(0, 'hello v4\n');
    assert.equal(await stream.exitCode, 7);
    assert.equal(stream.stdout(), 'got hello v4\n');
    assert.equal(stream.stderr(), 'oops\n');
  });

  it('follows a container log with lines written after the request and ends when the container exits', async () => {
    await createObject(cluster.admin, podsPath, shellPod('ticker', node.name, 'i=0; while [ $i -lt 15 ]; do echo tick $i; i=$((i+1)); sleep 0.3; done', { restartPolicy: 'Never' }));
    await waitFor('ticker logging', async () => {
      const r = await kubectl(cluster, ['-n', ns, 'logs', 'ticker']);
      return r.stdout.includes('tick 1\n') ? true : undefined;
    });
    const requestedAt = Date.now();
    const followed = followLogs('ticker', ['--timestamps']);
    assert.equal(await followed.ended, 0, 'kubectl logs -f ends by itself once the container exits');
    const lines = followed.output().trimEnd().split('\n').map((l) => {
      const [stamp = '', ...text] = l.split(' ');
      return { at: Date.parse(stamp.replace(/(\.\d{3})\d*/, '$1')), text: text.join(' ') };
    });
    assert.deepEqual(lines.map((l) => l.text), Array.from({ length: 15 }, (_, i) => `tick ${String(i)}`));
    assert.ok(lines.some((l) => l.at > requestedAt + 1_000), 'some lines were written well after the follow request started');
    const pod = await getPod(cluster.admin, ns, 'ticker');
    assert.equal(containerStatus(pod)?.state?.terminated?.exitCode, 0);
  });

  it('ends a follow when its pod is deleted', async () => {
    await createObject(cluster.admin, podsPath, shellPod('endless', node.name, 'i=0; while :; do echo tick $i; i=$((i+1)); sleep 0.3; done'));
    await runningPod('endless');
    const followed = followLogs('endless');
    await waitFor('followed lines', () => Promise.resolve(followed.output().includes('tick 2\n') ? true : undefined));
    await cluster.admin.request('DELETE', `${podsPath}/endless`);
    assert.equal(await followed.ended, 0, 'kubectl logs -f ends once the deleted pod\'s container stops');
    assert.match(followed.output(), /^tick 0\ntick 1\ntick 2\n/);
  });
});
