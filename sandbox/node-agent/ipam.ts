// The node's address book: which Pod holds which loopback address, here and (from the
// cluster-wide Pod watch) on other nodes, so a requested address held anywhere is refused.
// Released addresses cool down for a minute before they are handed to another Pod; the Pod that
// released one (same namespace/name, e.g. recreated by its StatefulSet) may take it back at once.
// The watch alone cannot stop two nodes from handing out one address in the same instant (each
// sees the other's Pod only once its status is published), so every address is also claimed in
// the sandbox-wide claim directory (ip-claims.ts) before a Pod gets it.
import type { V1Pod } from '@kubernetes/client-node';
import { agentPaths } from './agent-paths.ts';
import { createIpClaims, type IpClaims } from './ip-claims.ts';
import { createPodStateStore } from './pod-state-store.ts';
import { decidePodIp, isStaleClaim, parseIpRequest, type IpClaim, type IpDecision } from './pod-ip.ts';

export type Ipam = {
  assign(pod: V1Pod): IpDecision;
  /** A Pod re-adopted after an agent restart keeps its address; `name` is namespace/name. */
  restore(ip: string, uid: string, name?: string): void;
  release(ip: string): void;
  /** Addresses other Pods in the cluster report (status.podIP), for conflict checks. */
  setClusterPods(pods: readonly V1Pod[]): void;
};

export type IpamOptions = {
  readonly nodeIndex: number;
  readonly nodeName: string;
  readonly claims: IpClaims;
  /** Whether this node keeps saved state for the Pod (pod-state-store.ts). */
  readonly savedHere: (uid: string) => boolean;
  readonly now?: () => number;
};

const coolDownMs = 60_000;

/** The agent's IPAM, claiming addresses in the directory every agent of the sandbox shares. */
export function createNodeIpam(stateDir: string, nodeName: string, nodeIndex: number): Ipam {
  const paths = agentPaths(stateDir, nodeName);
  const store = createPodStateStore(paths.podStateDir);
  // Read only when another Pod's claim on this node is in the way, which is rare.
  const savedHere = (uid: string): boolean => store.loadAll().some((saved) => saved.uid === uid);
  return createIpam({ nodeIndex, nodeName, claims: createIpClaims(paths.ipClaimsDir), savedHere });
}

export function createIpam(options: IpamOptions): Ipam {
  const now = options.now ?? Date.now;
  const local = new Map<string, string>();
  let cluster = new Map<string, string>();
  let clusterUids: ReadonlySet<string> | undefined;
  const cooling = new Map<string, number>();
  const names = new Map<string, string>();
  const releasedBy = new Map<string, string>();

  const isStale = (held: IpClaim): boolean =>
    isStaleClaim(held, { nodeName: options.nodeName, localUids: new Set(local.values()), savedHere: options.savedHere, clusterUids, nowMs: now() });

  return {
    assign: (pod) => {
      const uid = pod.metadata?.uid ?? '';
      const namespace = pod.metadata?.namespace ?? '';
      const podName = pod.metadata?.name ?? '';
      const name = `${namespace}/${podName}`;
      const request = parseIpRequest(pod.metadata?.annotations);
      // Addresses found claimed by a live Pod the watch has not shown yet count as in use.
      const claimedElsewhere = new Map<string, string>();
      for (;;) {
        const inUse = new Map([...cluster, ...claimedElsewhere, ...local]);
        const decision = decidePodIp(request, uid, { nodeIndex: options.nodeIndex, inUse, coolingUntil: cooling, releasedBy, nowMs: now() }, name);
        if (!decision.ok || local.get(decision.ip) === uid) return decision;
        const owner: IpClaim = { uid, namespace, name: podName, node: options.nodeName, claimedAtMs: now() };
        const claimed = options.claims.claim(decision.ip, owner, isStale);
        if (claimed.won) {
          local.set(decision.ip, uid);
          names.set(decision.ip, name);
          return decision;
        }
        claimedElsewhere.set(decision.ip, claimed.holder);
      }
    },
    restore: (ip, uid, name) => {
      const [namespace = '', podName = ''] = (name ?? '/').split('/');
      // The Pod runs with this address whatever happened meanwhile: never take the claim from anyone.
      options.claims.claim(ip, { uid, namespace, name: podName, node: options.nodeName, claimedAtMs: now() }, () => false);
      local.set(ip, uid);
      if (name !== undefined) names.set(ip, name);
    },
    release: (ip) => {
      const uid = local.get(ip);
      local.delete(ip);
      if (uid !== undefined) options.claims.release(ip, uid);
      cooling.set(ip, now() + coolDownMs);
      const name = names.get(ip);
      names.delete(ip);
      if (name !== undefined) releasedBy.set(ip, name);
      else releasedBy.delete(ip);
    },
    setClusterPods: (pods) => {
      const next = new Map<string, string>();
      const uids = new Set<string>();
      for (const p of pods) {
        const podUid = p.metadata?.uid;
        const phase = p.status?.phase;
        if (podUid === undefined || phase === 'Succeeded' || phase === 'Failed') continue;
        uids.add(podUid);
        const ip = p.status?.podIP;
        if (ip) next.set(ip, podUid);
      }
      cluster = next;
      clusterUids = uids;
    },
  };
}
