// Small helpers for this folder's integration tests: polling with a deadline, Pod builders and
// kubectl through the test cluster's admin kubeconfig.
import { execFile } from 'node:child_process';
import type { V1Pod } from '@kubernetes/client-node';
import type { ApiClient } from '../api-client.ts';
import { readStartTicks } from '../processes.ts';
import type { TestCluster } from './test-cluster.ts';

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}

export async function getPod(api: ApiClient, namespace: string, name: string): Promise<V1Pod | undefined> {
  const res = await api.request('GET', `/api/v1/namespaces/${namespace}/pods/${name}`, { allow404: true });
  return res.status === 404 ? undefined : (res.body as V1Pod);
}

export async function createObject(api: ApiClient, path: string, body: unknown): Promise<void> {
  await api.request('POST', path, { body });
}

export function shellPod(name: string, nodeName: string, script: string, extra: Partial<V1Pod['spec']> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name },
    spec: { nodeName, terminationGracePeriodSeconds: 2, containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', script] }], ...extra },
  };
}

export type KubectlResult = { code: number; stdout: string; stderr: string };

export function kubectl(cluster: TestCluster, args: readonly string[], options: { kubeconfig?: string; input?: string } = {}): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(cluster.plane.kubectlPath, ['--kubeconfig', options.kubeconfig ?? cluster.plane.kubeconfigPath, ...args], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1;
      resolve({ code, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

export async function createNamespace(api: ApiClient, name: string): Promise<void> {
  await api.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  // Pods are refused until the namespace's default ServiceAccount exists.
  await waitFor(`ServiceAccount ${name}/default`, async () => {
    const res = await api.request('GET', `/api/v1/namespaces/${name}/serviceaccounts/default`, { allow404: true });
    return res.status === 200 ? true : undefined;
  });
}

export function containerStatus(pod: V1Pod | undefined, name = 'main'): NonNullable<NonNullable<V1Pod['status']>['containerStatuses']>[number] | undefined {
  return pod?.status?.containerStatuses?.find((c) => c.name === name);
}

/** Alive and not a zombie: a killed orphan may wait a while to be reaped. */
export function isAlive(pid: number): boolean {
  return readStartTicks(pid) !== undefined;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export type PodEvent = { reason?: string; message?: string; type?: string };

/** The Events recorded about one Pod (in no particular order). */
export async function podEvents(api: ApiClient, namespace: string, pod: string): Promise<PodEvent[]> {
  const selector = encodeURIComponent(`involvedObject.kind=Pod,involvedObject.name=${pod}`);
  const res = await api.request('GET', `/api/v1/namespaces/${namespace}/events?fieldSelector=${selector}`);
  return (res.body as { items: PodEvent[] }).items;
}

/** Resolves once the Pod is Running with its container `main` ready. */
export async function waitRunningReady(api: ApiClient, namespace: string, name: string, timeoutMs = 30_000): Promise<V1Pod> {
  return waitFor(`${namespace}/${name} running and ready`, async () => {
    const pod = await getPod(api, namespace, name);
    return pod?.status?.phase === 'Running' && containerStatus(pod)?.ready === true ? pod : undefined;
  }, timeoutMs);
}
