/* eslint-disable @typescript-eslint/require-await -- the fakes implement async ports synchronously */
// Drives the OpenGaussCluster reconciler against FakeKube and FakeMembers, pass by pass, the way
// the runtime's controller would (a thrown 409 is a requeue, not a failure).
import type { ClusterObject } from '../../../src/controller/kinds.ts';
import type { Caches } from '../../../src/controller/observe.ts';
import { createMemberProber, type MemberProber } from '../../../src/controller/member-prober.ts';
import { createReconciler } from '../../../src/controller/reconciler.ts';
import { isConflict } from '../../../src/kube/kube-api-error.ts';
import type { EventInput, EventRecorder } from '../../../src/observability/event-recorder.ts';
import { silentLogger } from '../../../src/observability/logger.ts';
import type { ReconcileResult } from '../../../src/runtime/result.ts';
import { FakeKube } from './fake-kube.ts';
import { FakeMembers } from './fake-members.ts';

export type Harness = {
  readonly kube: FakeKube;
  readonly members: FakeMembers;
  readonly events: EventInput[];
  /** A new reconciler: the operator restarted (in-memory state lost). */
  restartOperator(): void;
  pass(name?: string): Promise<ReconcileResult | 'conflict'>;
  cluster(name?: string): ClusterObject;
  /** Passes (with the kubelet in between) until the state is reached; returns the passes used. */
  until(state: string, max?: number, name?: string): Promise<number>;
};

export function aSample(name: string, members: number, extra: Record<string, unknown> = {}): ClusterObject {
  return {
    apiVersion: 'opengauss.sig/v1', kind: 'OpenGaussCluster',
    metadata: { name, namespace: 'db', generation: 1 },
    spec: {
      image: 'opengauss-5.0.2:latest', readport: 30120, writeport: 30121, networkclass: 'calico', storageclass: 'sandbox-local',
      iplist: Array.from({ length: members }, (_, i) => ({ ip: `10.1.0.${11 + i}`, nodename: `node${i + 1}` })),
      ...extra,
    },
  };
}

export function createHarness(clusters: readonly ClusterObject[]): Harness {
  const kube = new FakeKube();
  const members = new FakeMembers(kube);
  const events: EventInput[] = [];
  for (const n of ['node1', 'node2', 'node3']) kube.put('Node', { apiVersion: 'v1', kind: 'Node', metadata: { name: n, namespace: '' } });
  for (const c of clusters) kube.put('OpenGaussCluster', c);
  const caches: Caches = {
    clusters: kube.cache('OpenGaussCluster'), pods: kube.cache('Pod'), pvcs: kube.cache('PersistentVolumeClaim'), services: kube.cache('Service'),
    configMaps: kube.cache('ConfigMap'), secrets: kube.cache('Secret'), nodes: kube.cache('Node'),
  };
  const recorder: EventRecorder = { record: (e) => { events.push(e); }, flush: async () => undefined };
  let clock = Date.parse('2025-01-01T00:00:00Z');
  const now = () => (clock += 1000);
  let prober: MemberProber | undefined;
  const make = () => {
    prober = createMemberProber({ runner: members, execTimeoutMs: 1000, periodMs: 5000, now, onChange: () => undefined });
    return createReconciler({
      caches, client: kube.client, runner: members, prober, execTimeoutMs: 1000, pollingPeriodSeconds: 60,
      now, randomBytes: (n) => new Uint8Array(n).map((_, i) => (i * 37 + 11) % 256), recorder,
    });
  };
  let reconcile = make();
  const harness: Harness = {
    kube, members, events,
    restartOperator: () => { reconcile = make(); },
    async pass(name = clusters[0]?.metadata?.name ?? '') {
      members.kubelet();
      try {
        return await reconcile({ key: `db/${name}`, ref: { namespace: 'db', name }, log: silentLogger(), reconcileId: 'test', retries: 0, signal: new AbortController().signal });
      } catch (error) {
        if (isConflict(error)) return 'conflict';
        throw error;
      } finally {
        // The runtime's prober would wake the cluster when its probes are in; here the next pass comes after them.
        await prober?.idle();
      }
    },
    cluster: (name = clusters[0]?.metadata?.name ?? '') => kube.cache<ClusterObject>('OpenGaussCluster').get({ namespace: 'db', name }) ?? {},
    async until(state, max = 40, name) {
      for (let i = 1; i <= max; i++) {
        await harness.pass(name);
        if (harness.cluster(name).status?.state === state) return i;
      }
      throw new Error(`not ${state} after ${max} passes: ${JSON.stringify(harness.cluster(name).status)}`);
    },
  };
  return harness;
}
