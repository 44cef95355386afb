// The node's address book: which Pod holds which loopback address, here and (from the
// cluster-wide Pod watch) on other nodes, so a requested address held anywhere is refused.
// Released addresses cool down for a minute before they are handed to another Pod; the Pod that
// released one (same namespace/name, e.g. recreated by its StatefulSet) may take it back at once.
import type { V1Pod } from '@kubernetes/client-node';
import { decidePodIp, parseIpRequest, type IpDecision } from './pod-ip.ts';

export type Ipam = {
  assign(pod: V1Pod): IpDecision;
  /** A Pod re-adopted after an agent restart keeps its address; `name` is namespace/name. */
  restore(ip: string, uid: string, name?: string): void;
  release(ip: string): void;
  /** Addresses other Pods in the cluster report (status.podIP), for conflict checks. */
  setClusterPods(pods: readonly V1Pod[]): void;
};

const coolDownMs = 60_000;

export function createIpam(nodeIndex: number, now: () => number = Date.now): Ipam {
  const local = new Map<string, string>();
  let cluster = new Map<string, string>();
  const cooling = new Map<string, number>();
  const names = new Map<string, string>();
  const releasedBy = new Map<string, string>();
  return {
    assign: (pod) => {
      const uid = pod.metadata?.uid ?? '';
      const name = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
      const inUse = new Map([...cluster, ...local]);
      const decision = decidePodIp(parseIpRequest(pod.metadata?.annotations), uid, { nodeIndex, inUse, coolingUntil: cooling, releasedBy, nowMs: now() }, name);
      if (decision.ok) {
        local.set(decision.ip, uid);
        names.set(decision.ip, name);
      }
      return decision;
    },
    restore: (ip, uid, name) => {
      local.set(ip, uid);
      if (name !== undefined) names.set(ip, name);
    },
    release: (ip) => {
      local.delete(ip);
      cooling.set(ip, now() + coolDownMs);
      const name = names.get(ip);
      names.delete(ip);
      if (name !== undefined) releasedBy.set(ip, name);
      else releasedBy.delete(ip);
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
