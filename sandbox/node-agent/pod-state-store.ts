// What the agent must remember about a Pod to survive its own restart (reference 3.3): the IP,
// and per container the restart count, the live process (PID + /proc start time) and the last
// termination. One JSON file per Pod, replaced atomically.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerState, Terminated } from './container-record.ts';

export type SavedContainer = {
  /** How many times the container has been started (restartCount + 1 once it ran). */
  readonly runs: number;
  /** Terminated for good: no restart follows. */
  readonly final: boolean;
  readonly restartCount: number;
  readonly crashes: number;
  readonly state: ContainerState;
  readonly lastState?: Terminated;
  readonly imageId: string;
  readonly containerId?: string;
  readonly pid?: number;
  readonly startTicks?: string;
};

export type SavedPod = {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly podIp?: string;
  readonly startTime: string;
  readonly containers: Readonly<Record<string, SavedContainer>>;
};

export type PodStateStore = {
  save(pod: SavedPod): void;
  remove(uid: string): void;
  loadAll(): SavedPod[];
};

export function createPodStateStore(dir: string): PodStateStore {
  mkdirSync(dir, { recursive: true });
  return {
    save: (pod) => {
      const file = join(dir, `${pod.uid}.json`);
      writeFileSync(`${file}.tmp`, JSON.stringify(pod));
      renameSync(`${file}.tmp`, file);
    },
    remove: (uid) => rmSync(join(dir, `${uid}.json`), { force: true }),
    loadAll: () => {
      const out: SavedPod[] = [];
      for (const name of readdirSync(dir)) {
        if (!name.endsWith('.json')) continue;
        try {
          out.push(JSON.parse(readFileSync(join(dir, name), 'utf8')) as SavedPod);
        } catch {
          // a torn file cannot happen with rename; anything unreadable is skipped, not fatal
        }
      }
      return out;
    },
  };
}
