// Test fixture builders for Services and Pods, shaped as the watch delivers them.
import type { V1Pod, V1Service, V1ServicePort } from '@kubernetes/client-node';

export type PodFixture = { name: string; ip?: string; labels?: Record<string, string>; ready?: boolean; node?: string; namespace?: string;
  terminating?: boolean; phase?: string; ports?: Array<{ name: string; containerPort: number }> };

export function aPod(f: PodFixture): V1Pod {
  return {
    metadata: { name: f.name, namespace: f.namespace ?? 'ns', uid: `uid-${f.name}`, labels: f.labels ?? { app: 'db' },
      ...(f.terminating === true ? { deletionTimestamp: new Date('2026-01-01T00:00:00Z') } : {}) },
    spec: { nodeName: f.node ?? 'node-1', containers: [{ name: 'db', ...(f.ports ? { ports: f.ports } : {}) }] },
    status: { phase: f.phase ?? 'Running', ...(f.ip === undefined ? {} : { podIP: f.ip }),
      conditions: [{ type: 'Ready', status: f.ready === false ? 'False' : 'True' }] },
  };
}

export type ServiceFixture = { name?: string; namespace?: string; type?: string; selector?: Record<string, string>; ports: V1ServicePort[];
  publishNotReadyAddresses?: boolean; externalTrafficPolicy?: string; sessionAffinity?: string };

export function aService(f: ServiceFixture): V1Service {
  return {
    metadata: { name: f.name ?? 'write', namespace: f.namespace ?? 'ns' },
    spec: { type: f.type ?? 'NodePort', ports: f.ports, ...(f.selector === undefined ? { selector: { app: 'db' } } : { selector: f.selector }),
      ...(f.publishNotReadyAddresses === undefined ? {} : { publishNotReadyAddresses: f.publishNotReadyAddresses }),
      ...(f.externalTrafficPolicy === undefined ? {} : { externalTrafficPolicy: f.externalTrafficPolicy }),
      ...(f.sessionAffinity === undefined ? {} : { sessionAffinity: f.sessionAffinity }) },
  };
}
