// The node agent's network port (sandbox/node-agent/ports.ts), loaded by the agent at start:
// every container and exec gets the netshim (its own source and listen address, POD_IP), the
// agent's cluster-wide Service/Pod snapshots feed this node's NodePort proxy (its node IP and the
// shared 127.0.0.1), and a Pod that leaves the node takes its partition (isolate) with it, so a
// new Pod reusing the address starts connected.
import { fileURLToPath } from 'node:url';
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import type { NetworkPort, PluginContext, PodNetworkInfo } from '../node-agent/ports.ts';
import { ensureNetshim } from './netshim/ensure-netshim.ts';
import { podNetworkEnv } from './netshim/pod-network-env.ts';
import { createNodePortProxy } from './node-ports.ts';
import { createPartitioner, sandboxPartitionTable } from './partition.ts';
import { createSharedPortClaims } from './shared-port-claims.ts';

// Every container has a private /tmp, so the default cache under the temporary directory would be
// invisible to the Pod's programs; the repository is visible to all of them and readable by all.
const shimCacheDir = fileURLToPath(new URL('../../node_modules/.cache/og-netshim', import.meta.url));

/**
 * Every node serves every NodePort on its own InternalIP and, shared with the other agents through
 * SO_REUSEPORT, on 127.0.0.1, the address users and tests type (reference §3.5): as in a cluster,
 * the NodePort answers while any node is up.
 */
export const nodePortAddresses = (nodeIp: string): { own: string[]; shared: string[] } => ({ own: [nodeIp], shared: ['127.0.0.1'] });

export async function createNetworkPlugin(ctx: PluginContext): Promise<NetworkPort> {
  const shimPath = await ensureNetshim({ cacheDir: shimCacheDir });
  const log = ctx.log.child({ module: 'network' });
  const addresses = nodePortAddresses(ctx.nodeIp);
  const proxy = createNodePortProxy({
    listenAddresses: addresses.own, sharedAddresses: addresses.shared, refuseShared: createSharedPortClaims({ stateDir: ctx.stateDir }), nodeName: ctx.nodeName, log,
  });
  const partitions = process.getuid?.() === 0 ? createPartitioner({ table: sandboxPartitionTable(ctx.stateDir) }) : undefined;
  let services: readonly V1Service[] = [];
  let pods: readonly V1Pod[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  // Both watches fire in bursts (a Pod update changes one object, a relist all of them): plan once per burst.
  const schedule = (): void => {
    scheduled ??= setImmediate(() => {
      scheduled = undefined;
      proxy.update(services, pods);
    });
  };
  log.info({ shim: shimPath }, 'pods get the netshim: their own source and listen address');
  return {
    containerEnv: (pod: PodNetworkInfo) => podNetworkEnv(pod.podIp, shimPath),
    podStarted: () => undefined,
    podStopped: (pod: PodNetworkInfo) => {
      // heal() is a no-op (one `nft list`) unless the address is isolated.
      partitions?.heal(pod.podIp).catch((err: unknown) => log.warn({ err, pod: pod.name }, 'could not lift the partition of a stopped pod'));
    },
    servicesChanged: (items) => {
      services = items as readonly V1Service[];
      schedule();
    },
    podsChanged: (items) => {
      pods = items as readonly V1Pod[];
      schedule();
    },
    close: async () => {
      if (scheduled !== undefined) clearImmediate(scheduled);
      await proxy.close();
    },
  };
}
