// state.json: what a later `sandbox down` or `status` needs to find a running control plane.
// Written as each component is spawned (not only once all are ready), so that a start-up that
// dies half-way still leaves `down` the PIDs to stop.
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ControlPlanePorts } from './ports.ts';
import type { RecordedProcess } from './processes.ts';

export type ControlPlaneState = {
  readonly apiServerUrl: string;
  readonly ports: ControlPlanePorts;
  readonly kubeconfigPath: string;
  readonly processes: readonly RecordedProcess[];
  readonly startedAt: string;
};

const fileName = 'state.json';

export async function writeState(stateDir: string, state: ControlPlaneState): Promise<void> {
  // Via a temporary file and rename: a reader (`down` from another shell) never sees half a file.
  const temporary = join(stateDir, `${fileName}.tmp-${process.pid}`);
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temporary, join(stateDir, fileName));
}

export async function readState(stateDir: string): Promise<ControlPlaneState | undefined> {
  try {
    return JSON.parse(await readFile(join(stateDir, fileName), 'utf8')) as ControlPlaneState;
  } catch {
    return undefined;
  }
}

export async function removeState(stateDir: string): Promise<void> {
  await rm(join(stateDir, fileName), { force: true });
}
