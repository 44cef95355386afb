// The OpenGaussCluster controller as the composition root (src/main.ts) wires it: informers for
// the cluster, its children (filtered by the operator's label, so caches hold only ours) and
// Nodes, and one controller whose event handlers only enqueue the owning cluster's key.
import type { KubernetesObject, V1Node } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { APP_LABEL_VALUE, Label } from '../api/v1/index.ts';
import { createExecRunner } from '../instance/exec.ts';
import type { InstanceRunner } from '../instance/port.ts';
import type { KubeConnection } from '../kube/connection.ts';
import { Kinds, type ResourceKind } from '../kube/kinds.ts';
import type { KubeClient } from '../kube/port.ts';
import { createWatchSource } from '../kube/watch-source.ts';
import type { EventRecorder } from '../observability/event-recorder.ts';
import type { RuntimeMetrics } from '../observability/metrics.ts';
import { createController, type Controller } from '../runtime/controller.ts';
import { createInformer, type Informer } from '../runtime/informer.ts';
import { firstOf, keyOf, mapByLabel, mapToOwner, mapToSelf, type KeyMapper } from '../runtime/keys.ts';
import { ClusterKind, NodeKind, type ClusterObject } from './kinds.ts';
import { createMemberProber } from './member-prober.ts';
import type { Caches } from './observe.ts';
import { createReconciler } from './reconciler.ts';

export const CONTROLLER_NAME = 'opengausscluster';

export type OpenGaussControllerOptions = {
  readonly kc: KubeConnection;
  readonly client: KubeClient;
  readonly log: Logger;
  readonly metrics: RuntimeMetrics;
  readonly recorder: EventRecorder;
  /** undefined = all namespaces. */
  readonly watchNamespace?: string;
  /** Concurrent reconciles (2.0's --max-concurrent-reconcile, default 10). */
  readonly workers: number;
  /** Health poll of a ready cluster (2.0's --pollingPeriod, default 60). */
  readonly pollingPeriodSeconds: number;
  /** Deadline of each in-pod command. */
  readonly execTimeoutMs: number;
  /** Background refresh period of each member probe. */
  readonly probePeriodMs: number;
  /** CSPRNG bytes for generated passwords (the core stays pure). */
  readonly randomBytes: (n: number) => Uint8Array;
  /** Tests and tools: another command runner than pods/exec. */
  readonly runner?: InstanceRunner;
  readonly now?: () => number;
};

export type OpenGaussControllerParts = {
  readonly informers: readonly Informer<KubernetesObject>[];
  readonly controllers: readonly Controller[];
};

const OPERATOR_OBJECTS = `${Label.App}=${APP_LABEL_VALUE}`;

function informerOf<T extends KubernetesObject>(options: OpenGaussControllerOptions, kind: ResourceKind<T>, scoped: { labelSelector?: string; indexedLabels?: readonly string[] } = {}): Informer<T> {
  const namespace = kind.namespaced ? options.watchNamespace : undefined;
  const source = createWatchSource(options.kc, options.client, kind, {
    ...(namespace === undefined ? {} : { namespace }),
    ...(scoped.labelSelector === undefined ? {} : { labelSelector: scoped.labelSelector }),
  });
  return createInformer({ kind, source, log: options.log, ...(scoped.indexedLabels === undefined ? {} : { indexedLabels: scoped.indexedLabels }) });
}

function nodeReady(node: V1Node): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** A Node change concerns every cluster that pins a member to it (a nodename that appears or goes). */
function clustersOnNode(clusters: Informer<ClusterObject>): KeyMapper<V1Node> {
  return (node) => clusters.cache.list().filter((c) => {
    const iplist = (c.spec as { iplist?: { nodename?: unknown }[] } | undefined)?.iplist ?? [];
    return iplist.some((e) => e.nodename === node.metadata?.name);
  }).map((c) => keyOf({ namespace: c.metadata?.namespace ?? '', name: c.metadata?.name ?? '' }));
}

export function createOpenGaussController(options: OpenGaussControllerOptions): OpenGaussControllerParts {
  const clusters = informerOf(options, ClusterKind);
  const pods = informerOf(options, Kinds.Pod, { labelSelector: OPERATOR_OBJECTS, indexedLabels: [Label.Cluster] });
  const pvcs = informerOf(options, Kinds.PersistentVolumeClaim, { labelSelector: OPERATOR_OBJECTS });
  const services = informerOf(options, Kinds.Service, { labelSelector: OPERATOR_OBJECTS });
  const configMaps = informerOf(options, Kinds.ConfigMap, { labelSelector: OPERATOR_OBJECTS });
  const secrets = informerOf(options, Kinds.Secret, { labelSelector: OPERATOR_OBJECTS });
  const nodes = informerOf(options, NodeKind);
  const caches: Caches = {
    clusters: clusters.cache, pods: pods.cache, pvcs: pvcs.cache, services: services.cache,
    configMaps: configMaps.cache, secrets: secrets.cache, nodes: nodes.cache,
  };
  const runner = options.runner ?? createExecRunner(options.kc);
  const now = options.now ?? Date.now;
  // Late-bound: the prober wakes the controller, which is built with the reconciler that reads it.
  let wake: (key: string) => void = () => undefined;
  const prober = createMemberProber({ runner, execTimeoutMs: options.execTimeoutMs, periodMs: options.probePeriodMs, now, onChange: (key) => wake(key) });
  const reconcile = createReconciler({
    caches,
    client: options.client,
    runner,
    prober,
    execTimeoutMs: options.execTimeoutMs,
    pollingPeriodSeconds: options.pollingPeriodSeconds,
    now,
    randomBytes: options.randomBytes,
    recorder: options.recorder,
  });
  const controller = createController({
    name: CONTROLLER_NAME, reconcile, log: options.log, workers: options.workers, metrics: options.metrics.forController(CONTROLLER_NAME),
  });
  wake = (key) => controller.enqueue(key);
  prober.start();
  const owner = mapToOwner(ClusterKind);
  controller.watch(clusters, mapToSelf);
  controller.watch(pods, firstOf(owner, mapByLabel(Label.Cluster)));
  controller.watch(services, owner);
  controller.watch(configMaps, owner);
  // PVCs and the password Secret have no owner (they outlive the cluster): their name label says whose they are.
  controller.watch(pvcs, mapByLabel(Label.Name));
  controller.watch(secrets, mapByLabel(Label.Name));
  // Nodes post their status every few seconds: only a change of readiness concerns a cluster
  // (besides a Node appearing or going, which is an add or a delete).
  controller.watch(nodes, clustersOnNode(clusters), (old, node) => nodeReady(old) !== nodeReady(node));
  const informers = [clusters, pods, pvcs, services, configMaps, secrets, nodes] as unknown as Informer<KubernetesObject>[];
  return { informers, controllers: [controller] };
}
