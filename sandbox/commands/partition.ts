// `isolate|heal <pod>`: a network partition of one Pod by its IP, in an nftables table owned by
// this sandbox (named after its state directory, so two sandboxes never touch each other's rules).
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { HarnessError, HarnessErrorCodes } from '../harness-error.ts';
import { createPartitioner, sandboxPartitionTable, type Partitioner } from '../network/partition.ts';
import { requireRoot } from './nodes.ts';

export function partitionerFor(stateDir: string): Partitioner {
  return createPartitioner({ table: sandboxPartitionTable(stateDir) });
}

async function podIp(stateDir: string, namespace: string, pod: string): Promise<string> {
  const kc = new KubeConfig();
  kc.loadFromFile(join(stateDir, 'kubeconfig'));
  const found = await kc.makeApiClient(CoreV1Api).readNamespacedPod({ namespace, name: pod }).catch(() => undefined);
  const ip = found?.status?.podIP;
  if (ip === undefined || ip === '') throw new HarnessError(HarnessErrorCodes.STATE, `pod ${namespace}/${pod} does not exist or has no IP yet`);
  return ip;
}

export async function partitionCommand(stateDir: string, target: { action: 'isolate' | 'heal'; namespace: string; pod: string }, out: (line: string) => void): Promise<void> {
  requireRoot('isolate and heal (nftables)');
  const ip = await podIp(stateDir, target.namespace, target.pod);
  const partitioner = partitionerFor(stateDir);
  if (target.action === 'isolate') await partitioner.isolate(ip);
  else await partitioner.heal(ip);
  out(`${target.action === 'isolate' ? 'isolated' : 'healed'} ${target.namespace}/${target.pod} (${ip})`);
}

/** Teardown: drops every partition of this sandbox. */
export async function removePartitions(stateDir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  await partitionerFor(stateDir).deleteTable().catch(() => undefined); // no nft or no table: nothing to remove
}
