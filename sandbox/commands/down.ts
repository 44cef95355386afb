// `sandbox down`: stops every process recorded in .sandbox/ (node agents, the provisioner, then
// the control plane of state.json in reverse start order, checking each PID still runs the
// recorded binary), waits until they are gone, and removes volumes and partitions.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isRunning, stopProcess, type RecordedProcess } from '../control-plane/processes.ts';
import { readState, removeState } from '../control-plane/state.ts';
import { stopNodes } from './nodes.ts';
import { removePartitions } from './partition.ts';
import { stopProvisionerAndVolumes } from './provisioner.ts';

export async function liveProcesses(stateDir: string): Promise<RecordedProcess[]> {
  const state = await readState(stateDir);
  return (state?.processes ?? []).filter(isRunning);
}

/**
 * Stops node agents (and their pods) first, then the provisioner and the volumes (no Pod uses
 * them any more), then the control plane in reverse start order.
 */
export async function stopRecorded(stateDir: string): Promise<number> {
  let stopped = await stopNodes(stateDir);
  stopped += await stopProvisionerAndVolumes(stateDir);
  await removePartitions(stateDir);
  await rm(join(stateDir, 'nodes.json'), { force: true });
  const state = await readState(stateDir);
  const procs = state?.processes ?? [];
  for (const proc of [...procs].reverse()) {
    if (!isRunning(proc)) continue;
    await stopProcess(proc);
    stopped++;
  }
  await removeState(stateDir);
  return stopped;
}
