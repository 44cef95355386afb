// The node agent's storage port (sandbox/node-agent/ports.ts): where a bound PV's data is on this
// machine. The provisioner (a process of its own, started by `sandbox up`) creates and mounts the
// volumes; the agent only resolves paths, so it never needs the admin identity. A volume of ours
// whose image is not mounted yet is reported as not mountable (the agent retries) rather than
// handing the Pod the empty directory underneath, whose writes the mount would later hide.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { V1PersistentVolume } from '@kubernetes/client-node';
import type { PluginContext, StoragePort } from '../node-agent/ports.ts';
import { readMounts } from './mounts.ts';
import { resolvePersistentVolumePath } from './persistent-volume.ts';
import { volumesDir } from './volume-store.ts';

export function createStoragePlugin(ctx: PluginContext): Promise<StoragePort> {
  const log = ctx.log.child({ module: 'storage' });
  const root = volumesDir(ctx.stateDir);
  const waitingForMount = async (path: string): Promise<boolean> => {
    if (!path.startsWith(`${root}/mnt/`)) return false;
    const image = join(root, `${path.slice(root.length + '/mnt/'.length)}.img`);
    return existsSync(image) && !(await readMounts()).some((m) => m.mountPoint === path);
  };
  return Promise.resolve({
    hostPathFor: async (pv: unknown) => {
      const volume = pv as V1PersistentVolume;
      const name = volume.metadata?.name ?? '';
      const resolved = resolvePersistentVolumePath(volume);
      if (!resolved.ok) {
        log.warn({ pv: name, reason: resolved.reason }, 'persistent volume cannot be mounted');
        return undefined;
      }
      if (resolved.nodes !== undefined && !resolved.nodes.includes(ctx.nodeName)) {
        log.warn({ pv: name, nodes: resolved.nodes }, 'persistent volume is pinned to another node');
        return undefined;
      }
      if (await waitingForMount(resolved.path)) {
        log.warn({ pv: name, path: resolved.path }, 'volume image not mounted yet; the provisioner re-mounts it');
        return undefined;
      }
      return resolved.path;
    },
    close: () => Promise.resolve(),
  });
}
