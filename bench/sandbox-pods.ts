// Pods and timing helpers of the sandbox benchmark (bench/sandbox.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import type { CoreV1Api, V1Pod } from '@kubernetes/client-node';
import { repoRoot } from '../sandbox/repo-root.ts';

export const namespace = 'default';
const password = 'Enmo@1234';

/** An official-image openGauss Pod; with `peer` it is one half of a primary/standby pair. */
export function ogPod(name: string, node: string, role: 'primary' | 'standby', ip?: string, peer?: string): V1Pod {
  const env = [{ name: 'GS_PASSWORD', value: password }, { name: 'NODE_NAME', value: name }, { name: 'GS_PORT', value: '5432' }];
  if (ip !== undefined && peer !== undefined) {
    env.push({ name: 'REPL_CONN_INFO', value: `replconninfo1 = 'localhost=${ip} localport=5433 localservice=5436 remotehost=${peer} remoteport=5433 remoteservice=5436'\n` });
  }
  return {
    metadata: { name, ...(ip === undefined ? {} : { annotations: { 'cni.projectcalico.org/ipAddrs': JSON.stringify([ip]) } }) },
    spec: {
      nodeName: node,
      securityContext: { runAsUser: 580, runAsGroup: 580, fsGroup: 580 },
      containers: [{
        name: 'opengauss', image: 'opengauss/opengauss:5.0.2', args: ['-M', role], env,
        readinessProbe: { tcpSocket: { port: 5432 }, periodSeconds: 1 },
      }],
    },
  };
}

export function busyboxPod(name: string, node: string): V1Pod {
  return {
    metadata: { name, labels: { bench: 'trivial' } },
    spec: { nodeName: node, terminationGracePeriodSeconds: 0, containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }] },
  };
}

/**
 * A Pod whose server answers every connection on `port` with its own name (the repo's Node, run by
 * the busybox-like image; the netshim makes `listen(port)` bind the Pod IP). No readiness probe:
 * a probe flapping on the busy 2-core machine would move the Pod in and out of the Service and
 * spoil the timing of label changes; callers wait until it answers instead.
 */
export function greeterPod(name: string, node: string, labels: Readonly<Record<string, string>>, port: number): V1Pod {
  const server = `require('node:net').createServer((s) => s.end(process.env.NAME + '\\n')).listen(${port})`;
  return {
    metadata: { name, labels: { ...labels } },
    spec: {
      nodeName: node, terminationGracePeriodSeconds: 0,
      containers: [{
        name: 'main', image: 'busybox', command: [join(repoRoot, 'node_modules', '.bin', 'node'), '-e', server], env: [{ name: 'NAME', value: name }],
      }],
    },
  };
}

export const isReady = (pod: V1Pod): boolean => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
export const isRunning = (pod: V1Pod): boolean => pod.status?.phase === 'Running';

/** Seconds from just before the create call until `done(pod)` holds (polled every 50 ms). */
export async function createAndTime(core: CoreV1Api, pod: V1Pod, done: (pod: V1Pod) => boolean, timeoutMs = 120_000): Promise<number> {
  const t0 = performance.now();
  await core.createNamespacedPod({ namespace, body: pod });
  const name = pod.metadata?.name ?? '';
  while (performance.now() - t0 < timeoutMs) {
    if (done(await core.readNamespacedPod({ namespace, name }))) return (performance.now() - t0) / 1000;
    await sleep(50);
  }
  throw new Error(`pod ${name} not done within ${timeoutMs / 1000} s`);
}

export async function deleteAndWait(core: CoreV1Api, names: readonly string[]): Promise<void> {
  await Promise.all(names.map((name) => core.deleteNamespacedPod({ namespace, name, gracePeriodSeconds: 0 }).catch(() => undefined)));
  for (const name of names) {
    while (await core.readNamespacedPod({ namespace, name }).then(() => true, () => false)) await sleep(100);
  }
}

/** VmRSS of a process in MiB. */
export async function rssMiB(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const line = (await readFile(`/proc/${pid}/status`, 'utf8')).split('\n').find((l) => l.startsWith('VmRSS:')) ?? '';
  return Math.round((Number(/\d+/.exec(line)?.[0] ?? 0) / 1024) * 10) / 10;
}
