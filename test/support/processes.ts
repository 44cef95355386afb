// Test helpers for "nothing left behind": processes gone, ports free.
import { isPortFree } from '../../sandbox/control-plane/ports.ts';
import { isAlive } from '../../sandbox/control-plane/processes.ts';

/** A zombie counts as gone: it has exited and holds no port or file. */
export const isPidAlive = isAlive;

export async function boundPorts(ports: readonly number[]): Promise<number[]> {
  const free = await Promise.all(ports.map((p) => isPortFree(p)));
  return ports.filter((_, i) => !free[i]);
}
