// `sandbox up`: builds (or reuses) the control plane, starts it on the preferred ports of
// .sandbox/, and then, as later issues add them, node agents, the operator and a sample cluster.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { UpOptions } from '../cli-args.ts';
import { ensureControlPlaneBinaries } from '../control-plane/build.ts';
import { startControlPlane, type RunningControlPlane } from '../control-plane/launch.ts';
import { defaultPorts } from '../control-plane/ports.ts';
import { HarnessError, HarnessErrorCodes } from '../harness-error.ts';
import { repoRoot } from '../repo-root.ts';
import { liveProcesses, stopRecorded } from './down.ts';
import { requireRoot, startNodes, stopNodes } from './nodes.ts';

export type Output = (line: string) => void;

function notYetAvailable(options: UpOptions): string[] {
  const missing: string[] = [];
  if (options.operator) missing.push('the operator (issue 5; use --no-operator)');
  if (options.sample) missing.push('the sample cluster (issue 5; use --no-sample)');
  return missing;
}

export async function up(stateDir: string, options: UpOptions, out: Output): Promise<RunningControlPlane> {
  const missing = notYetAvailable(options);
  if (missing.length > 0) throw new HarnessError(HarnessErrorCodes.USAGE, `not yet available: ${missing.join('; ')}`);
  if (options.nodes > 0) requireRoot('running node agents');
  if ((await liveProcesses(stateDir)).length > 0) {
    throw new HarnessError(HarnessErrorCodes.STATE, `a sandbox is already running in ${stateDir}: \`npm run sandbox -- status\`, or \`npm run sandbox -- down\` first`);
  }
  await stopRecorded(stateDir); // leftovers of a crashed run: nothing live, but clear the record
  await mkdir(stateDir, { recursive: true });
  const started = performance.now();
  const binaries = await ensureControlPlaneBinaries({ repoRoot, log: out });
  const plane = await startControlPlane({
    stateDir, binaries, preferredPorts: defaultPorts, fsync: true, killOnExit: !options.detach, log: out,
  });
  out(`control plane ready in ${((performance.now() - started) / 1000).toFixed(1)} s at ${plane.apiServerUrl}`);
  try {
    await startNodes(stateDir, plane.apiServerUrl, options.nodes, out);
  } catch (error) {
    await stopNodes(stateDir);
    await plane.stop();
    throw error;
  }
  return plane;
}

export function printHowTo(stateDir: string, out: Output): void {
  const kubectl = join(stateDir, 'bin', 'kubectl');
  const kubeconfig = join(stateDir, 'kubeconfig');
  const rel = (p: string): string => p.startsWith(`${repoRoot}/`) ? p.slice(repoRoot.length + 1) : p;
  out('');
  out(`  export KUBECONFIG=${rel(kubeconfig)}`);
  out(`  ${rel(kubectl)} get --raw=/readyz`);
  out(`  ${rel(kubectl)} apply -f config/crd/`);
  out(`  ${rel(kubectl)} get opengaussclusters -A`);
  out('  npm run sandbox -- status | down');
}

export async function removeStateDir(stateDir: string): Promise<void> {
  await rm(stateDir, { recursive: true, force: true });
}
