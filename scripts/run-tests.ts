// `npm test`: builds (or reuses) the control plane, starts one shared control plane for the
// integration tests, runs every test file with Node's test runner, and stops the control plane.
// Extra arguments go to `node --test` (e.g. `npm test -- --test-name-pattern=crd`).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureControlPlaneBinaries } from '../sandbox/control-plane/build.ts';
import { startControlPlane, type RunningControlPlane } from '../sandbox/control-plane/launch.ts';
import { interruptOnStopSignals, Interrupted, unlessInterrupted } from '../sandbox/control-plane/interrupt.ts';
import { HarnessError } from '../sandbox/harness-error.ts';
import { repoRoot } from '../sandbox/repo-root.ts';

export const testGlobs = [
  'src/**/*.test.ts', 'sandbox/**/*.test.ts', 'scripts/**/*.test.ts',
  'test/unit/**/*.test.ts', 'test/component/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts',
];

const log = (line: string): void => { process.stdout.write(`[run-tests] ${line}\n`); };

function runNodeTest(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--test', ...args], { cwd: repoRoot, env, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals): void => { child.kill(signal); };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const removeDirs = (dirs: readonly string[]): Promise<unknown> => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));

async function startShared(signal: AbortSignal): Promise<{ plane: RunningControlPlane; dirs: string[] }> {
  const binaries = await ensureControlPlaneBinaries({ repoRoot, log, signal });
  const stateDir = await mkdtemp(join(tmpdir(), 'ogo-test-cp-'));
  const etcdDir = await mkdtemp(join('/dev/shm', 'ogo-test-etcd-'));
  const dirs = [stateDir, etcdDir];
  const started = performance.now();
  try {
    const plane = await startControlPlane({ stateDir, binaries, etcdDataDir: etcdDir, fsync: false, killOnExit: true, signal });
    log(`shared control plane ready in ${((performance.now() - started) / 1000).toFixed(1)} s at ${plane.apiServerUrl}`);
    return { plane, dirs };
  } catch (error) {
    await removeDirs(dirs);
    throw error;
  }
}

async function main(): Promise<number> {
  // From the first step: Ctrl-C or SIGTERM while the shared plane starts stops what it started
  // (Node's default would die and leave the components running). Later signals also reach the
  // test run (runNodeTest forwards them), whose end stops the plane.
  const interrupt = interruptOnStopSignals('the start of the shared control plane');
  const { plane, dirs } = await unlessInterrupted(interrupt.signal, () => startShared(interrupt.signal));
  try {
    const extra = process.argv.slice(2);
    const files = extra.some((a) => !a.startsWith('--')) ? [] : testGlobs;
    return await runNodeTest([...extra, ...files], {
      ...process.env,
      OGO_TEST_KUBECONFIG: plane.kubeconfigPath,
      OGO_TEST_KUBECTL: plane.kubectlPath,
      OGO_TEST_BIN_DIR: join(plane.stateDir, 'bin'),
    });
  } finally {
    await plane.stop();
    await removeDirs(dirs);
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`run-tests: ${error instanceof HarnessError ? error.message : String((error as Error).stack ?? error)}\n`);
  process.exitCode = error instanceof Interrupted ? error.exitCode : 1;
}
