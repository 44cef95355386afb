// `sandbox down`: stops every process recorded in .sandbox/state.json (checking each PID still
// runs the recorded binary), in reverse start order, and waits until they are gone.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isRunning, stopProcess, type RecordedProcess } from '../control-plane/processes.ts';
import { readState } from '../control-plane/state.ts';

export async function liveProcesses(stateDir: string): Promise<RecordedProcess[]> {
  const state = await readState(stateDir);
  return (state?.processes ?? []).filter(isRunning);
}

export async function stopRecorded(stateDir: string): Promise<number> {
  const state = await readState(stateDir);
  const procs = state?.processes ?? [];
  let stopped = 0;
  for (const proc of [...procs].reverse()) {
    if (!isRunning(proc)) continue;
    await stopProcess(proc);
    stopped++;
  }
  await rm(join(stateDir, 'state.json'), { force: true });
  return stopped;
}
