// Test helpers for "nothing left behind": processes gone, ports free.
import { existsSync } from 'node:fs';
import { isPortFree } from '../../sandbox/control-plane/ports.ts';

export function isPidAlive(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}

export async function boundPorts(ports: readonly number[]): Promise<number[]> {
  const free = await Promise.all(ports.map((p) => isPortFree(p)));
  return ports.filter((_, i) => !free[i]);
}
