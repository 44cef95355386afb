// `sandbox up`: builds (or reuses) the control plane, starts it on the preferred ports of
// .sandbox/, and then, as later issues add them, node agents, the operator and a sample cluster.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { UpOptions } from '../cli-args.ts';
import { ensureControlPlaneBinaries } from '../control-plane/build.ts';
import { startControlPlane, type RunningControlPlane } from '../control-plane/launch.ts';
import { defaultPorts } from '../control-plane/ports.ts';
import type { RecordedProcess } from '../control-plane/processes.ts';
import { HarnessError, HarnessErrorCodes } from '../harness-error.ts';
import { repoRoot } from '../repo-root.ts';
import { liveProcesses, stopRecorded } from './down.ts';
import { requireRoot, startNodes } from './nodes.ts';
import { startProvisionerProcess } from './provisioner.ts';
import { deployOperator, installCrd, printOperatorHowTo, sandboxKubectl } from './operator.ts';
import { applySample, printSampleHowTo, requireSampleNodes } from './sample.ts';

export type Output = (line: string) => void;

/** The operator runs on a node; the sample needs node1..3 (it may run with an operator started out of cluster). */
function checkWorkloadOptions(options: UpOptions): void {
  if (options.operator && options.nodes === 0) {
    throw new HarnessError(HarnessErrorCodes.USAGE, 'the operator runs as a Deployment on the sandbox nodes: use --nodes 1 or more, or --no-operator');
  }
  if (options.sample) requireSampleNodes(options.nodes);
}

/** The CRD, the operator Deployment (config/default) and the sample cluster, as options ask. */
async function startWorkloads(stateDir: string, options: UpOptions, out: Output): Promise<void> {
  if (!options.operator && !options.sample) return;
  const kubectl = sandboxKubectl(stateDir);
  await installCrd(kubectl, out);
  if (options.operator) await deployOperator(stateDir, out);
  if (options.sample) await applySample(kubectl, out);
}

export type RunningSandbox = { readonly plane: RunningControlPlane; readonly processes: readonly RecordedProcess[] };

/**
 * Starts the sandbox. `signal` is aborted by Ctrl-C or SIGTERM: start-up then stops at once (or
 * after the step in progress), stops whatever it had started, and throws the abort reason.
 */
export async function up(stateDir: string, options: UpOptions, out: Output, signal?: AbortSignal): Promise<RunningSandbox> {
  checkWorkloadOptions(options);
  if (options.nodes > 0) requireRoot('running node agents');
  if ((await liveProcesses(stateDir)).length > 0) {
    throw new HarnessError(HarnessErrorCodes.STATE, `a sandbox is already running in ${stateDir}: \`npm run sandbox -- status\`, or \`npm run sandbox -- down\` first`);
  }
  await stopRecorded(stateDir); // leftovers of a crashed run: nothing live, but clear the record
  await mkdir(stateDir, { recursive: true });
  const started = performance.now();
  const binaries = await ensureControlPlaneBinaries({ repoRoot, log: out, signal });
  const plane = await startControlPlane({
    stateDir, binaries, preferredPorts: defaultPorts, fsync: true, killOnExit: !options.detach, log: out, signal,
  });
  out(`control plane ready in ${((performance.now() - started) / 1000).toFixed(1)} s at ${plane.apiServerUrl}`);
  const extra: RecordedProcess[] = [];
  const steps: ReadonlyArray<() => Promise<void>> = [
    // Volumes need a node to live on: no nodes, no provisioner.
    async () => { if (options.nodes > 0) extra.push(await startProvisionerProcess(stateDir, out)); },
    () => startNodes(stateDir, plane.apiServerUrl, options.nodes, out),
    () => startWorkloads(stateDir, options, out),
  ];
  try {
    for (const step of steps) {
      signal?.throwIfAborted();
      await step();
    }
    signal?.throwIfAborted();
  } catch (error) {
    // Agents first, while the apiserver still answers; then the provisioner, volumes and plane.
    await stopRecorded(stateDir);
    await plane.stop();
    throw error;
  }
  return { plane, processes: [...plane.processes, ...extra] };
}

export function printHowTo(stateDir: string, out: Output, options?: UpOptions): void {
  const kubectl = join(stateDir, 'bin', 'kubectl');
  const kubeconfig = join(stateDir, 'kubeconfig');
  const rel = (p: string): string => p.startsWith(`${repoRoot}/`) ? p.slice(repoRoot.length + 1) : p;
  out('');
  out(`  export KUBECONFIG=${rel(kubeconfig)}`);
  out(`  ${rel(kubectl)} get --raw=/readyz`);
  out(`  ${rel(kubectl)} apply -f config/crd/`);
  out(`  ${rel(kubectl)} get opengaussclusters -A`);
  if (options?.operator === true) printOperatorHowTo(rel(kubectl), out);
  else if (options !== undefined) out(`  npm run operator -- --kubeconfig ${rel(kubeconfig)} --log-level=debug    # the operator out of cluster`);
  if (options?.sample === true) printSampleHowTo(rel(kubectl), out);
  out('  npm run sandbox -- status | down');
}

export async function removeStateDir(stateDir: string): Promise<void> {
  await rm(stateDir, { recursive: true, force: true });
}
