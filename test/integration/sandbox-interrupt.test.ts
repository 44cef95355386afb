// Ctrl-C, SIGTERM and SIGKILL in the middle of a start-up (`sandbox up`, and `npm test` starting
// its shared control plane): whatever had started is stopped, or at least recorded so that
// `down` stops it. The signal is sent the moment a component of this test's own directory runs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { access, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { readState } from '../../sandbox/control-plane/state.ts';
import { repoRoot } from '../../sandbox/repo-root.ts';
import { argValue, listProcesses, processesMentioning, type ProcessInfo } from '../support/process-scan.ts';
import { boundPorts } from '../support/processes.ts';

const run = promisify(execFile);
const upArgs = ['up', '--nodes', '0', '--no-operator', '--no-sample', '--detach'];

type Started = { readonly child: ChildProcessWithoutNullStreams; readonly output: { stdout: string; stderr: string }; readonly exited: Promise<number | null> };

/** Its own process group, like a command typed in a terminal, so that a Ctrl-C can reach the whole group. */
function start(script: string, args: readonly string[], env: NodeJS.ProcessEnv): Started {
  const child = spawn(process.execPath, [join(repoRoot, script), ...args], { cwd: repoRoot, env: { ...process.env, ...env }, detached: true });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => { output.stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { output.stderr += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output, exited };
}

async function waitForComponent(started: Started, find: () => ProcessInfo | undefined): Promise<ProcessInfo> {
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (started.child.exitCode !== null) throw new Error(`exited before the component started:\n${started.output.stdout}${started.output.stderr}`);
    await sleep(20);
  }
}

const isComponent = (name: string) => (p: ProcessInfo): boolean => basename(p.args[0] ?? '') === name;

/** Loopback ports named in component command lines (etcd URLs, `--secure-port`). */
function portsIn(procs: readonly ProcessInfo[]): number[] {
  const args = procs.flatMap((p) => p.args).join(' ');
  return [...new Set([...args.matchAll(/127\.0\.0\.1:(\d+)|--secure-port=(\d+)/g)].map((m) => Number(m[1] ?? m[2])))];
}

/** Last resort for a failing test: nothing it started may outlive it. */
function killLeftovers(text: string): void {
  for (const p of processesMentioning(text)) {
    try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone meanwhile */ }
  }
}

function sandboxIn(stateDir: string): { start: (args: readonly string[]) => Started; down: () => Promise<{ stdout: string }> } {
  const env = { SANDBOX_STATE_DIR: stateDir };
  return {
    start: (args) => start('sandbox/cli.ts', args, env),
    down: () => run(process.execPath, [join(repoRoot, 'sandbox/cli.ts'), 'down'], { cwd: repoRoot, env: { ...process.env, ...env } }),
  };
}

async function withStateDir(body: (stateDir: string) => Promise<void>): Promise<void> {
  const stateDir = await mkdtemp(join(tmpdir(), 'ogo-sandbox-interrupt-'));
  try {
    await body(stateDir);
  } finally {
    killLeftovers(stateDir);
    await rm(stateDir, { recursive: true, force: true });
  }
}

describe('interrupting a start-up', { timeout: 180_000 }, () => {
  it('Ctrl-C while etcd runs and the apiserver is not started: `up` stops etcd, says so in one line, exits 130', () => withStateDir(async (stateDir) => {
    const sandbox = sandboxIn(stateDir);
    const up = sandbox.start(upArgs);
    const etcd = await waitForComponent(up, () => processesMentioning(stateDir).find(isComponent('etcd')));
    const running = processesMentioning(stateDir);
    process.kill(-(up.child.pid ?? 0), 'SIGINT'); // to the group, as a terminal does
    assert.equal(await up.exited, 130);
    assert.doesNotMatch(up.output.stdout, /control plane ready/, 'start-up had not finished');
    assert.equal(up.output.stderr, 'sandbox: SIGINT during start-up: stopped every process started so far\n');
    assert.deepEqual(processesMentioning(stateDir), []);
    assert.deepEqual(await boundPorts(portsIn(running)), []);
    assert.ok(portsIn([etcd]).length === 2, 'etcd client and peer ports were checked');
    assert.match((await sandbox.down()).stdout, /^sandbox down: 0 process\(es\) stopped$/m);
  }));

  it('SIGTERM while the apiserver starts: `up` stops the apiserver and etcd and exits 143', () => withStateDir(async (stateDir) => {
    const sandbox = sandboxIn(stateDir);
    const up = sandbox.start(upArgs);
    await waitForComponent(up, () => processesMentioning(stateDir).find(isComponent('kube-apiserver')));
    const running = processesMentioning(stateDir);
    up.child.kill('SIGTERM'); // to the CLI alone, as `kill <pid>` does
    assert.equal(await up.exited, 143);
    assert.doesNotMatch(up.output.stdout, /control plane ready/, 'start-up had not finished');
    assert.equal(up.output.stderr, 'sandbox: SIGTERM during start-up: stopped every process started so far\n');
    assert.deepEqual(processesMentioning(stateDir), []);
    assert.deepEqual(await boundPorts(portsIn(running)), []);
    assert.match((await sandbox.down()).stdout, /^sandbox down: 0 process\(es\) stopped$/m);
  }));

  it('SIGKILL (no cleanup possible): what had started is in state.json, and `down` stops it', () => withStateDir(async (stateDir) => {
    const sandbox = sandboxIn(stateDir);
    const up = sandbox.start(upArgs);
    await waitForComponent(up, () => processesMentioning(stateDir).find(isComponent('etcd')));
    // Recorded as soon as spawned: a kill between spawn() and the state write would leave nothing to find.
    for (let t = 0; !(await readState(stateDir))?.processes.some((p) => p.name === 'etcd'); t += 1) {
      if (t > 500) assert.fail('etcd never appeared in state.json');
      await sleep(10);
    }
    const running = processesMentioning(stateDir);
    up.child.kill('SIGKILL');
    await up.exited;
    assert.deepEqual(processesMentioning(stateDir).map((p) => basename(p.args[0] ?? '')), ['etcd'], 'etcd outlived the killed command');
    assert.match((await sandbox.down()).stdout, /^sandbox down: 1 process\(es\) stopped$/m);
    assert.deepEqual(processesMentioning(stateDir), []);
    assert.deepEqual(await boundPorts(portsIn(running)), []);
  }));

  it('Ctrl-C while `npm test` starts its shared control plane: etcd is stopped, its directories removed, exit 130', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'ogo-run-tests-interrupt-'));
    let etcdDataDir = '/nonexistent';
    try {
      // TMPDIR puts the shared plane's state directory in ours; no test file runs (start-up never ends).
      const runTests = start('scripts/run-tests.ts', ['test/integration/no-such.test.ts'], { TMPDIR: tmp });
      const etcd = await waitForComponent(runTests, () => listProcesses().find((p) => p.ppid === runTests.child.pid && isComponent('etcd')(p)));
      etcdDataDir = argValue(etcd.args, '--data-dir') ?? '';
      assert.match(etcdDataDir, /^\/dev\/shm\/ogo-test-etcd-/);
      process.kill(-(runTests.child.pid ?? 0), 'SIGINT');
      assert.equal(await runTests.exited, 130);
      assert.equal(runTests.output.stderr, 'run-tests: SIGINT during the start of the shared control plane: stopped every process started so far\n');
      assert.deepEqual([...processesMentioning(etcdDataDir), ...processesMentioning(tmp)], []);
      assert.deepEqual(await boundPorts(portsIn([etcd])), []);
      await assert.rejects(access(etcdDataDir), 'the etcd data directory is removed');
      assert.deepEqual(await readdir(tmp), [], 'the state directory is removed');
    } finally {
      killLeftovers(etcdDataDir);
      killLeftovers(tmp);
      await Promise.all([tmp, etcdDataDir].map((d) => rm(d, { recursive: true, force: true })));
    }
  });
});
