// Kills recorded pod processes without the agent's help: after an agent crash (`node stop`),
// for orphans of Pods deleted while the agent was down, and for `kill <pod> [container]`.
// Only processes whose PID and /proc start time match the record are signalled; the container
// cgroups catch anything that escaped its process group.
import type { Cgroups } from './cgroups.ts';
import type { SavedPod } from './pod-state-store.ts';
import { isSameProcess, signalGroup } from './processes.ts';

export function killSavedContainer(pod: SavedPod, container: string, cgroups: Cgroups | undefined, signal: NodeJS.Signals = 'SIGKILL'): boolean {
  const saved = pod.containers[container];
  let hit = false;
  if (saved?.pid !== undefined && saved.startTicks !== undefined && isSameProcess(saved.pid, saved.startTicks)) {
    signalGroup(saved.pid, signal);
    hit = true;
  }
  const dir = cgroups?.containerDir(pod.uid, container);
  if (signal === 'SIGKILL' && dir !== undefined && cgroups !== undefined && cgroups.pids(dir).length > 0) {
    cgroups.kill(dir);
    hit = true;
  }
  return hit;
}

export function killSavedPod(pod: SavedPod, cgroups: Cgroups | undefined): void {
  for (const name of Object.keys(pod.containers)) killSavedContainer(pod, name, cgroups);
  const dir = cgroups?.podDir(pod.uid);
  if (dir !== undefined && cgroups !== undefined) {
    cgroups.kill(dir);
    cgroups.remove(dir);
  }
}
