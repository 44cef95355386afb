// `npm run sandbox -- up --nodes 0 --no-operator --no-sample --detach`, then kubectl against it,
// then `down`: the commands a developer types, run as they would be, in a private state dir.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readState } from '../../sandbox/control-plane/state.ts';
import { repoRoot } from '../../sandbox/repo-root.ts';
import { boundPorts, isPidAlive } from '../support/processes.ts';

const run = promisify(execFile);

async function waitFor(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 250));
  }
}

function sandbox(stateDir: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [join(repoRoot, 'sandbox/cli.ts'), ...args],
    { cwd: repoRoot, env: { ...process.env, SANDBOX_STATE_DIR: stateDir, SANDBOX_NODE_INDEX_OFFSET: '210' } });
}

describe('sandbox command', () => {
  it('starts a detached control plane that kubectl can use, and `down` leaves no process and no bound port', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'ogo-sandbox-cli-'));
    try {
      const upOut = await sandbox(stateDir, ['up', '--nodes', '0', '--no-operator', '--no-sample', '--detach']);
      assert.match(upOut.stdout, /control plane ready in/);
      const kubectl = join(stateDir, 'bin', 'kubectl');
      const kc = ['--kubeconfig', join(stateDir, 'kubeconfig')];
      assert.equal((await run(kubectl, [...kc, 'get', '--raw=/readyz'])).stdout.trim(), 'ok');
      assert.match((await run(kubectl, ['version', '--client'])).stdout, /v1\.36\.3/);

      await run(kubectl, [...kc, 'apply', '-f', join(repoRoot, 'config/crd/')]);
      await run(kubectl, [...kc, 'wait', '--for=condition=Established', 'crd/opengaussclusters.opengauss.sig', '--timeout=30s']);
      const listing = await run(kubectl, [...kc, 'get', 'opengaussclusters', '-A']);
      assert.match(listing.stdout + listing.stderr, /No resources found/);

      const status = await sandbox(stateDir, ['status']);
      assert.match(status.stdout, /kube-apiserver https:\/\/127\.0\.0\.1:\d+ ready/);
      await assert.rejects(sandbox(stateDir, ['up', '--nodes', '0', '--no-operator', '--no-sample', '--detach']), /already running/);

      const state = await readState(stateDir);
      assert.ok(state !== undefined);
      await sandbox(stateDir, ['down']);
      assert.deepEqual(state.processes.filter((p) => isPidAlive(p.pid)).map((p) => p.name), []);
      assert.deepEqual(await boundPorts(Object.values(state.ports)), []);
      await assert.rejects(sandbox(stateDir, ['status']), (error: { stdout: string }) => /no sandbox running/.test(error.stdout));
    } finally {
      await sandbox(stateDir, ['down']).catch(() => undefined);
      await rm(stateDir, { recursive: true, force: true });
    }
  });

  it('stays in the foreground until Ctrl-C and then stops everything it started', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'ogo-sandbox-cli-'));
    try {
      const child = spawn(process.execPath, [join(repoRoot, 'sandbox/cli.ts'), 'up', '--nodes', '0', '--no-operator', '--no-sample'],
        { cwd: repoRoot, env: { ...process.env, SANDBOX_STATE_DIR: stateDir }, stdio: ['ignore', 'pipe', 'inherit'] });
      let output = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); if (output.includes('Ctrl-C stops everything')) resolve(); });
        child.on('exit', () => reject(new Error(`sandbox exited early:\n${output}`)));
      });
      const state = await readState(stateDir);
      assert.ok(state !== undefined);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      assert.equal(await exited, 0);
      assert.deepEqual(state.processes.filter((p) => isPidAlive(p.pid)).map((p) => p.name), []);
      assert.deepEqual(await boundPorts(Object.values(state.ports)), []);
    } finally {
      await sandbox(stateDir, ['down']).catch(() => undefined);
      await rm(stateDir, { recursive: true, force: true });
    }
  });

  it('runs node agents with --nodes, injects container kills and node crashes, and `down` stops agents and pods', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'ogo-sandbox-cli-'));
    const kubectl = (...args: string[]): Promise<{ stdout: string }> => run(join(stateDir, 'bin', 'kubectl'), ['--kubeconfig', join(stateDir, 'kubeconfig'), ...args]);
    try {
      await sandbox(stateDir, ['up', '--nodes', '2', '--no-operator', '--no-sample', '--detach']);
      const nodes = (await kubectl('get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.addresses[0].address} {end}')).stdout.trim();
      assert.equal(nodes, 'node1=127.10.211.1 node2=127.10.212.1');
      await kubectl('run', 'sleeper', '--image=busybox', '--overrides={"spec":{"nodeName":"node2"}}', '--', 'sh', '-c', 'while true; do sleep 1; done');
      await kubectl('wait', '--for=condition=Ready', 'pod/sleeper', '--timeout=60s');

      assert.match((await sandbox(stateDir, ['kill', 'default/sleeper'])).stdout, /killed sleeper of default\/sleeper on node2/);
      await waitFor(async () => (await kubectl('get', 'pod', 'sleeper', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}')).stdout === '1');

      await sandbox(stateDir, ['node', 'stop', 'node2']);
      await waitFor(async () => (await kubectl('get', 'node', 'node2', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}')).stdout !== 'True');
      assert.match((await sandbox(stateDir, ['status'])).stdout, /node-agent node2 +pid - +stopped/);
      await sandbox(stateDir, ['node', 'start', 'node2']);
      assert.match((await sandbox(stateDir, ['status'])).stdout, /node-agent node2 +pid \d+ +running/);

      const agents = (await readFile(join(stateDir, 'node-agent', 'node1', 'agent.json'), 'utf8'));
      await sandbox(stateDir, ['down']);
      assert.equal(isPidAlive((JSON.parse(agents) as { pid: number }).pid), false);
      const { stdout } = await run('ps', ['-eo', 'args']);
      assert.doesNotMatch(stdout, /while true; do sleep 1; done/, 'no pod process is left');
    } finally {
      await sandbox(stateDir, ['down']).catch(() => undefined);
      await rm(stateDir, { recursive: true, force: true });
    }
  });

  it('says in one line that node agents need root, and starts nothing, when run as another user', async () => {
    const stateDir = join(tmpdir(), `ogo-sandbox-nonroot-${process.pid}`);
    await assert.rejects(
      run('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'env', `SANDBOX_STATE_DIR=${stateDir}`, process.execPath, join(repoRoot, 'sandbox/cli.ts'), 'up', '--nodes', '1', '--no-operator', '--no-sample'], { cwd: repoRoot }),
      (error: { stderr: string; code: number }) => {
        assert.equal(error.code, 1);
        assert.equal(error.stderr, 'sandbox: running node agents needs root (mount namespaces, loop-mounted volumes, packet filters): run as root, or use --nodes 0\n');
        return true;
      });
    assert.equal(await readState(stateDir), undefined);
  });

  it('prints one usage line for a bad flag and starts nothing', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'ogo-sandbox-cli-'));
    try {
      await assert.rejects(sandbox(stateDir, ['up', '--nodes', 'many']), (error: { stderr: string; code: number }) => {
        assert.equal(error.code, 1);
        assert.match(error.stderr, /^sandbox: --nodes takes a whole number from 0 to 20, not many\n/);
        assert.doesNotMatch(error.stderr, /\n\s+at /, 'no stack trace');
        return true;
      });
      assert.equal(await readState(stateDir), undefined);
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
