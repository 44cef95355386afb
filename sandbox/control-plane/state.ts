// state.json: what a later `sandbox down` or `status` needs to find a running control plane.
import { readFile, writeFile } from 'node:fs/promises';
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
  await writeFile(join(stateDir, fileName), `${JSON.stringify(state, null, 2)}\n`);
}

export async function readState(stateDir: string): Promise<ControlPlaneState | undefined> {
  try {
    return JSON.parse(await readFile(join(stateDir, fileName), 'utf8')) as ControlPlaneState;
  } catch {
    return undefined;
  }
}
