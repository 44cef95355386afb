// `npm run sandbox -- up --nodes 0 --no-operator --no-sample --detach`, then kubectl against it,
// then `down`: the commands a developer types, run as they would be, in a private state dir.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readState } from '../../sandbox/control-plane/state.ts';
import { repoRoot } from '../../sandbox/repo-root.ts';
import { boundPorts, isPidAlive } from '../support/processes.ts';

const run = promisify(execFile);

function sandbox(stateDir: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [join(repoRoot, 'sandbox/cli.ts'), ...args], { cwd: repoRoot, env: { ...process.env, SANDBOX_STATE_DIR: stateDir } });
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
