// Observe (house style §3): the cluster and its children from the informer caches, and every
// member probed concurrently with a per-call timeout. A failed probe is data for that member;
// the pass goes on. The result is an immutable Observation with the time of the pass.
import type { V1ConfigMap, V1Node, V1PersistentVolumeClaim, V1Pod, V1Secret, V1Service } from '@kubernetes/client-node';
import {
  initSecretName, ipFromPodName, Label, podName, pvcName, readServiceName, scriptsConfigMapName, validateCluster, writeServiceName,
  type ValidSpec,
} from '../api/v1/index.ts';
import { Kinds } from '../kube/kinds.ts';
import type { CacheReader, KubeClient } from '../kube/port.ts';
import type { ApplyFailure, MemberObservation, Observation } from '../reconcile/types.ts';
import { keyOf } from '../runtime/keys.ts';
import type { ClusterObject } from './kinds.ts';
import type { MemberProber } from './member-prober.ts';
import { podView, pvcView, serviceView } from './views.ts';

export type Caches = {
  readonly clusters: CacheReader<ClusterObject>;
  readonly pods: CacheReader<V1Pod>;
  readonly pvcs: CacheReader<V1PersistentVolumeClaim>;
  readonly services: CacheReader<V1Service>;
  readonly configMaps: CacheReader<V1ConfigMap>;
  readonly secrets: CacheReader<V1Secret>;
  readonly nodes: CacheReader<V1Node>;
};

export type ObserveDeps = {
  readonly caches: Caches;
  readonly client: Pick<KubeClient, 'get'>;
  readonly prober: MemberProber;
  readonly pollingPeriodSeconds: number;
  readonly now: () => number;
  /** Failures the API server gave for this generation (kept by the reconciler). */
  readonly applyFailures: (uid: string, generation: number) => readonly ApplyFailure[];
  /** Shared ConfigMaps known to exist although not in the (label-filtered) cache. */
  readonly knownConfigMaps: ReadonlySet<string>;
};

function nodeExists(deps: ObserveDeps, nodename: string | undefined): boolean {
  if (nodename === undefined || nodename === '' || !deps.caches.nodes.synced) return true;
  return deps.caches.nodes.get({ namespace: '', name: nodename }) !== undefined;
}

function observeMembers(deps: ObserveDeps, cluster: ClusterObject, spec: ValidSpec): MemberObservation[] {
  const namespace = cluster.metadata?.namespace ?? '';
  const name = cluster.metadata?.name ?? '';
  // The work-queue key the prober wakes when this cluster's members change.
  const clusterKey = keyOf({ namespace, name });
  const pvc = (ip: string, kind: 'data' | 'log') => {
    const found = deps.caches.pvcs.get({ namespace, name: pvcName(name, ip, kind) });
    return found === undefined ? undefined : pvcView(found);
  };
  return spec.iplist.map((entry): MemberObservation => {
    const pod = deps.caches.pods.get({ namespace, name: podName(name, entry.ip) });
    const reading = pod === undefined ? undefined : deps.prober.read(clusterKey, pod, entry.ip);
    return {
      ip: entry.ip,
      nodename: entry.nodename,
      pod: pod === undefined ? undefined : podView(pod),
      probe: reading?.kind === 'fresh' ? reading.outcome : undefined,
      probing: reading?.kind === 'pending',
      dataPvc: pvc(entry.ip, 'data'),
      logPvc: pvc(entry.ip, 'log'),
      nodeExists: nodeExists(deps, entry.nodename),
    };
  });
}

function createdKey(c: ClusterObject): string {
  const at = c.metadata?.creationTimestamp;
  const time = at === undefined ? '' : new Date(at).toISOString();
  return `${time}/${c.metadata?.namespace ?? ''}/${c.metadata?.name ?? ''}`;
}

function specIps(c: ClusterObject): string[] {
  const list = (c.spec as { iplist?: { ip?: unknown }[] } | undefined)?.iplist ?? [];
  return list.flatMap((e) => (typeof e.ip === 'string' ? [e.ip] : []));
}

/**
 * Member IPs another cluster holds: the cluster whose Pod already has the IP keeps it (a running
 * cluster is never blocked by a newcomer); while neither (or both) has a Pod for it, the older does
 * (creationTimestamp has one-second resolution, so same-second clusters are ordered by name).
 */
function ipConflicts(deps: ObserveDeps, cluster: ClusterObject, spec: ValidSpec): Observation['ipConflicts'] {
  const ips = new Set(spec.iplist.map((e) => e.ip));
  const conflicts: { ip: string; owner: string }[] = [];
  for (const other of deps.caches.clusters.list()) {
    if (other.metadata?.uid === cluster.metadata?.uid) continue;
    const owner = `${other.metadata?.namespace ?? ''}/${other.metadata?.name ?? ''}`;
    for (const ip of specIps(other)) if (ips.has(ip) && holdsIp(deps, other, cluster, ip)) conflicts.push({ ip, owner });
  }
  return conflicts;
}

/** Whether `other` keeps an IP both clusters list: a Pod decides when exactly one side has one, otherwise age does. */
function holdsIp(deps: ObserveDeps, other: ClusterObject, us: ClusterObject, ip: string): boolean {
  const hasPod = (c: ClusterObject): boolean => deps.caches.pods.get({ namespace: c.metadata?.namespace ?? '', name: podName(c.metadata?.name ?? '', ip) }) !== undefined;
  const theirs = hasPod(other);
  return theirs !== hasPod(us) ? theirs : createdKey(other) < createdKey(us);
}

async function passwordRef(deps: ObserveDeps, namespace: string, spec: ValidSpec, initPresent: boolean): Promise<Observation['passwordRef']> {
  const ref = spec.passwordSecretRef;
  if (ref === undefined) return 'none';
  // Only needed while the init Secret is missing; then one live read (user Secrets are not cached).
  if (initPresent) return 'present';
  const secret = await deps.client.get(Kinds.Secret, { namespace, name: ref.name });
  return secret?.data?.[ref.key ?? 'password'] === undefined ? 'missing' : 'present';
}

function configMapPresent(deps: ObserveDeps, namespace: string, name: string): boolean {
  return deps.caches.configMaps.get({ namespace, name }) !== undefined || deps.knownConfigMaps.has(`${namespace}/${name}`);
}

/** The informer keeps the JSON text; typed clients turn it into a Date. */
function creationMs(cluster: ClusterObject): number | undefined {
  const created = cluster.metadata?.creationTimestamp as Date | string | undefined;
  const ms = created === undefined ? NaN : new Date(created).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

export async function observe(deps: ObserveDeps, cluster: ClusterObject): Promise<Observation> {
  const namespace = cluster.metadata?.namespace ?? '';
  const name = cluster.metadata?.name ?? '';
  const uid = cluster.metadata?.uid ?? '';
  const generation = cluster.metadata?.generation ?? 0;
  const validation = validateCluster({ metadata: { name }, spec: cluster.spec });
  const base = {
    nowMs: deps.now(),
    cluster: { name, namespace, uid, generation, createdAtMs: creationMs(cluster), status: cluster.status },
    validation,
    pollingPeriodSeconds: deps.pollingPeriodSeconds,
  };
  if (!validation.ok) {
    return { ...base, members: [], strayPods: [], services: { write: undefined, read: undefined }, initSecretPresent: true, passwordRef: 'none', scriptsConfigMapData: undefined, sharedConfigMaps: { script: true, filebeat: true }, ipConflicts: [], applyFailures: [] };
  }
  const spec = validation.spec;
  const ips = new Set(spec.iplist.map((e) => e.ip));
  const initSecretPresent = deps.caches.secrets.get({ namespace, name: initSecretName(name) }) !== undefined;
  const svc = (n: string) => serviceView(deps.caches.services.get({ namespace, name: n }));
  return {
    ...base,
    members: observeMembers(deps, cluster, spec),
    strayPods: deps.caches.pods.list({ namespace, labels: { [Label.Cluster]: name } })
      .filter((p) => !ips.has(ipFromPodName(p.metadata?.name ?? '') ?? '')).map(podView),
    services: { write: svc(writeServiceName(name)), read: svc(readServiceName(name)) },
    initSecretPresent,
    passwordRef: await passwordRef(deps, namespace, spec, initSecretPresent),
    scriptsConfigMapData: deps.caches.configMaps.get({ namespace, name: scriptsConfigMapName(name) })?.data ?? undefined,
    sharedConfigMaps: { script: configMapPresent(deps, namespace, spec.scriptconfig), filebeat: configMapPresent(deps, namespace, spec.filebeatconfig) },
    ipConflicts: ipConflicts(deps, cluster, spec),
    applyFailures: deps.applyFailures(uid, generation),
  };
}
