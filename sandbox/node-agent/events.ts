// core/v1 Events about Pods, as the kubelet records them (FailedMount, BackOff, Killing…), so
// `kubectl describe pod` explains a waiting Pod. Best effort: a failed post is only logged.
import { randomBytes } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import type { ApiClient } from './api-client.ts';
import type { Logger } from './log.ts';

export type EventRecorder = (pod: V1Pod, type: 'Normal' | 'Warning', reason: string, message: string) => void;

export function createEventRecorder(api: ApiClient, nodeName: string, log: Logger): EventRecorder {
  return (pod, type, reason, message) => {
    const namespace = pod.metadata?.namespace ?? 'default';
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const body = {
      apiVersion: 'v1', kind: 'Event',
      metadata: { name: `${pod.metadata?.name ?? 'pod'}.${randomBytes(8).toString('hex')}`, namespace },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace, name: pod.metadata?.name, uid: pod.metadata?.uid },
      reason, message: message.slice(0, 1024), type, count: 1, firstTimestamp: now, lastTimestamp: now,
      source: { component: 'kubelet', host: nodeName }, reportingComponent: 'kubelet', reportingInstance: nodeName,
    };
    api.request('POST', `/api/v1/namespaces/${namespace}/events`, { body }).catch((err: unknown) => log.warn({ err, reason }, 'event not recorded'));
  };
}
