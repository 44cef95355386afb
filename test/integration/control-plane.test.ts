// The control-plane launcher against the real binaries: two planes at once, clean stops,
// and failures that leave nothing behind.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureControlPlaneBinaries, type ControlPlaneBinaries } from '../../sandbox/control-plane/build.ts';
import { startControlPlane, type RunningControlPlane } from '../../sandbox/control-plane/launch.ts';
import { HarnessError } from '../../sandbox/harness-error.ts';
import { repoRoot } from '../../sandbox/repo-root.ts';
import { processesMentioning } from '../support/process-scan.ts';
import { boundPorts, isPidAlive } from '../support/processes.ts';

const run = promisify(execFile);
let binaries: ControlPlaneBinaries;

type PlaneDirs = { readonly stateDir: string; readonly etcdDir: string };

async function planeDirs(name: string): Promise<PlaneDirs> {
  return { stateDir: await mkdtemp(join(tmpdir(), `ogo-it-${name}-`)), etcdDir: await mkdtemp(join('/dev/shm', `ogo-it-${name}-`)) };
}

async function startPlane(name: string, overrides: Partial<ControlPlaneBinaries> = {}, dirs?: PlaneDirs): Promise<{ plane: RunningControlPlane; cleanup: () => Promise<void> }> {
  const { stateDir, etcdDir } = dirs ?? await planeDirs(name);
  const cleanup = async (): Promise<void> => { await Promise.all([stateDir, etcdDir].map((d) => rm(d, { recursive: true, force: true }))); };
  try {
    const plane = await startControlPlane({ stateDir, binaries: { ...binaries, ...overrides }, etcdDataDir: etcdDir, fsync: false });
    return { plane, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

describe('control plane', () => {
  before(async () => {
    binaries = await ensureControlPlaneBinaries({ repoRoot, log: () => undefined });
  });

  it('runs two control planes at once on different ports, each answering /readyz, and stops both leaving no process or bound port', async () => {
    const [a, b] = await Promise.all([startPlane('a'), startPlane('b')]);
    try {
      assert.notEqual(a.plane.ports.apiServer, b.plane.ports.apiServer);
      for (const { plane } of [a, b]) {
        const { stdout } = await run(plane.kubectlPath, ['--kubeconfig', plane.kubeconfigPath, 'get', '--raw=/readyz']);
        assert.equal(stdout.trim(), 'ok');
      }
      // Objects are separate: a namespace made in one plane does not exist in the other.
      await run(a.plane.kubectlPath, ['--kubeconfig', a.plane.kubeconfigPath, 'create', 'namespace', 'only-in-a']);
      await assert.rejects(run(b.plane.kubectlPath, ['--kubeconfig', b.plane.kubeconfigPath, 'get', 'namespace', 'only-in-a']));
    } finally {
      await Promise.all([a.plane.stop(), b.plane.stop()]);
      await Promise.all([a.cleanup(), b.cleanup()]);
    }
    for (const { plane } of [a, b]) {
      assert.deepEqual(plane.processes.filter((p) => isPidAlive(p.pid)).map((p) => p.name), []);
      assert.deepEqual(await boundPorts(Object.values(plane.ports)), []);
    }
  });

  it('runs the controllers the sandbox relies on: the default ServiceAccount exists and namespaces get kube-root-ca.crt', async () => {
    const { plane, cleanup } = await startPlane('sa');
    try {
      const kc = ['--kubeconfig', plane.kubeconfigPath];
      await run(plane.kubectlPath, [...kc, 'create', 'namespace', 'probe']);
      let found = false;
      for (let i = 0; i < 100 && !found; i++) {
        found = await run(plane.kubectlPath, [...kc, '-n', 'probe', 'get', 'serviceaccount/default', 'configmap/kube-root-ca.crt']).then(() => true, () => false);
        if (!found) await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(found, 'the default ServiceAccount and kube-root-ca.crt appear in a new namespace');
    } finally {
      await plane.stop();
      await cleanup();
    }
  });

  it('fails with one line naming the component, and leaves no process, when a component cannot start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ogo-it-broken-'));
    const broken = join(dir, 'kube-apiserver');
    // A script whose log line comes a moment after start: the harness must wait for the process
    // to end (not mistake the interpreter's command line for an exit) and show that line.
    await writeFile(broken, '#!/bin/sh\nsleep 0.3\necho "simulated startup failure" >&2\nexit 3\n');
    await chmod(broken, 0o755);
    const dirs = await planeDirs('broken');
    try {
      await assert.rejects(startPlane('broken', { 'kube-apiserver': broken }, dirs), (error: unknown) => {
        assert.ok(error instanceof HarnessError);
        assert.equal(error.code, 'SBX_ERR_START_FAILED');
        assert.match(error.message.split('\n')[0] ?? '', /^kube-apiserver exited while waiting for kube-apiserver \/readyz; log .*kube-apiserver\.log:$/);
        assert.match(error.message, /simulated startup failure/);
        return true;
      });
      // etcd was ready before the apiserver failed; its --data-dir names this test's own directory.
      assert.deepEqual(processesMentioning(dirs.etcdDir).map((p) => p.args.join(' ')), [], 'etcd of the failed plane was stopped');
      assert.deepEqual(processesMentioning(dirs.stateDir).map((p) => p.args.join(' ')), [], 'no process of the failed plane is left');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lists the same controllers as the golden file of this release (bumping Kubernetes shows the drift)', async () => {
    const { stdout } = await run(binaries['kube-controller-manager'], ['--help']);
    const line = stdout.split('\n').find((l) => l.includes('All controllers:')) ?? '';
    const fromHelp = line.replace(/.*All controllers: /, '').trim().split(', ');
    const { readFile } = await import('node:fs/promises');
    const golden = (await readFile(join(repoRoot, 'sandbox/control-plane/controllers-v1.36.3.txt'), 'utf8')).trim().split('\n');
    assert.deepEqual(fromHelp, golden);
  });
});
