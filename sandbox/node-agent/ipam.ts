// The node's address book: which Pod holds which loopback address, here and (from the
// cluster-wide Pod watch) on other nodes, so a requested address held anywhere is refused.
// Released addresses cool down for a minute before the pool hands them out again.
import type { V1Pod } from '@kubernetes/client-node';
import { decidePodIp, parseIpRequest, type IpDecision } from './pod-ip.ts';

export type Ipam = {
  assign(pod: V1Pod): IpDecision;
  restore(ip: string, uid: string): void;
  release(ip: string): void;
  /** Addresses other Pods in the cluster report (status.podIP), for conflict checks. */
  setClusterPods(pods: readonly V1Pod[]): void;
};

const coolDownMs = 60_000;

export function createIpam(nodeIndex: number, now: () => number = Date.now): Ipam {
  const local = new Map<string, string>();
  let cluster = new Map<string, string>();
  const cooling = new Map<string, number>();
  return {
    assign: (pod) => {
      const uid = pod.metadata?.uid ?? '';
      const inUse = new Map([...cluster, ...local]);
      const decision = decidePodIp(parseIpRequest(pod.metadata?.annotations), uid, { nodeIndex, inUse, coolingUntil: cooling, nowMs: now() });
      if (decision.ok) local.set(decision.ip, uid);
      return decision;
    },
    restore: (ip, uid) => void local.set(ip, uid),
    release: (ip) => {
      local.delete(ip);
      cooling.set(ip, now() + coolDownMs);
    },
    setClusterPods: (pods) => {
      const next = new Map<string, string>();
      for (const p of pods) {
        const ip = p.status?.podIP;
        const phase = p.status?.phase;
        if (ip && p.metadata?.uid && phase !== 'Succeeded' && phase !== 'Failed') next.set(ip, p.metadata.uid);
      }
      cluster = next;
    },
  };
}
