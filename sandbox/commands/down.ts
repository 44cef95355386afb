// `sandbox down`: stops every process recorded in .sandbox/state.json (checking each PID still
// runs the recorded binary), in reverse start order, and waits until they are gone.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isRunning, stopProcess, type RecordedProcess } from '../control-plane/processes.ts';
import { readState } from '../control-plane/state.ts';
import { stopNodes } from './nodes.ts';
import { removePartitions } from './partition.ts';

export async function liveProcesses(stateDir: string): Promise<RecordedProcess[]> {
  const state = await readState(stateDir);
  return (state?.processes ?? []).filter(isRunning);
}

/** Stops node agents (and their pods) first, then the control plane in reverse start order. */
export async function stopRecorded(stateDir: string): Promise<number> {
  let stopped = await stopNodes(stateDir);
  await removePartitions(stateDir);
  await rm(join(stateDir, 'nodes.json'), { force: true });
  const state = await readState(stateDir);
  const procs = state?.processes ?? [];
  for (const proc of [...procs].reverse()) {
    if (!isRunning(proc)) continue;
    await stopProcess(proc);
    stopped++;
  }
  await rm(join(stateDir, 'state.json'), { force: true });
  return stopped;
}
