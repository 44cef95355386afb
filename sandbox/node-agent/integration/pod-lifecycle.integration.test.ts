// The node agent's Pod lifecycle against a real control plane (nodes 203 and 204, namespace
// lifecycle-it, so it runs beside node-agent.integration.test.ts): Lease renewal, graceful
// termination and SIGKILL after the grace period, restart back-off, HTTP readiness and startup
// probes, hostPath and downwardAPI volumes, mount failures, and recovery after a node crash.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Node } from '@kubernetes/client-node';
import { agentPaths } from '../agent-paths.ts';
import { crashNode } from '../launch.ts';
import { heartbeatIntervals } from '../node-heartbeat.ts';
import { createPodStateStore } from '../pod-state-store.ts';
import { readStartTicks } from '../processes.ts';
import { containerStatus, createNamespace, createObject, getPod, isAlive, kubectl, podEvents, shellPod, sleep, waitFor, waitRunningReady } from './helpers.ts';
import { startTestCluster, type TestCluster } from './test-cluster.ts';

const ns = 'lifecycle-it';
const node3 = { name: 'itnode3', index: 203 };
const node4 = { name: 'itnode4', index: 204 };
const podsPath = `/api/v1/namespaces/${ns}/pods`;
let cluster: TestCluster;

function savedPid(node: string, pod: string, container = 'main'): number | undefined {
  const store = createPodStateStore(agentPaths(cluster.stateDir, node).podStateDir);
  return store.loadAll().find((p) => p.namespace === ns && p.name === pod)?.containers[container]?.pid;
}

/** A fresh host directory (under the test's state directory) for a hostPath volume. */
function hostDir(name: string): string {
  return join(cluster.stateDir, 'host-paths', name);
}

// Kubernetes expands $(VAR) in commands and turns `$$` into `$`: the scripts write `$$$$` for the
// shell's `$$`.

/** Marker files hold `date +%s%N`: nanoseconds since the epoch, compared as BigInt. */
function readStamp(dir: string, file: string): bigint {
  return BigInt(readFileSync(join(dir, file), 'utf8').trim());
}

/** A PID file once completely written (`echo $$` ends it with a newline). */
function readPid(dir: string, file: string): number | undefined {
  const text = existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : '';
  return /^\d+\n$/.test(text) ? Number(text) : undefined;
}

function processGroup(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2];
  } catch {
    return undefined;
  }
}

async function deletePod(name: string): Promise<void> {
  await cluster.admin.request('DELETE', `${podsPath}/${name}`);
}

async function podGone(name: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(`pod ${name} deleted`, async () => ((await getPod(cluster.admin, ns, name)) === undefined ? true : undefined), timeoutMs);
}

async function nodeReady(name: string): Promise<string | undefined> {
  const node = (await cluster.admin.request('GET', `/api/v1/nodes/${name}`)).body as V1Node;
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

describe('pod lifecycle on the node agent', { timeout: 600_000 }, () => {
  before(async () => {
    cluster = await startTestCluster([node3, node4]);
    await createNamespace(cluster.admin, ns);
  });

  after(async () => {
    await cluster?.close();
  });

  it('renews the node Lease: renewTime advances between two reads a few renew intervals apart', async () => {
    const renewTime = async (): Promise<number> => {
      const res = await cluster.admin.request('GET', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node3.name}`);
      return Date.parse((res.body as { spec: { renewTime: string } }).spec.renewTime);
    };
    const first = await renewTime();
    await sleep(heartbeatIntervals.leaseRenewMs * 2 + 500);
    const second = await renewTime();
    assert.ok(second > first, `renewTime ${new Date(second).toISOString()} after ${new Date(first).toISOString()}`);
  });

  it('terminates gracefully: preStop, then SIGTERM the container survives, then nothing of it is left', async () => {
    const dir = hostDir('graceful');
    const script = [
      `trap 'date +%s%N > /state/sigterm; sleep 1; date +%s%N > /state/after-term; exit 0' TERM`,
      // A child in its own session ignoring SIGTERM: only the container's cgroup can reach it.
      `setsid sh -c 'trap "" TERM; echo $$$$ > /state/child.pid; exec sleep 3600' &`,
      'echo $$$$ > /state/main.pid',
      'sleep 3600 & wait',
    ].join('\n');
    await createObject(cluster.admin, podsPath, shellPod('graceful', node3.name, script, {
      terminationGracePeriodSeconds: 20,
      volumes: [{ name: 'state', hostPath: { path: dir, type: 'DirectoryOrCreate' } }],
      containers: [{
        name: 'main', image: 'busybox', command: ['sh', '-c', script], volumeMounts: [{ name: 'state', mountPath: '/state' }],
        lifecycle: { preStop: { exec: { command: ['sh', '-c', 'date +%s%N > /state/prestop'] } } },
      }],
    }));
    await waitRunningReady(cluster.admin, ns, 'graceful');
    const pids = await waitFor('both pid files', () => {
      const main = readPid(dir, 'main.pid');
      const child = readPid(dir, 'child.pid');
      return Promise.resolve(main !== undefined && child !== undefined ? { main, child } : undefined);
    });
    assert.ok(isAlive(pids.main) && isAlive(pids.child), 'container processes run before the deletion');
    assert.notEqual(processGroup(pids.child), processGroup(pids.main), 'the child left the container process group');
    await deletePod('graceful');
    await podGone('graceful');
    assert.ok(readStamp(dir, 'prestop') <= readStamp(dir, 'sigterm'), 'preStop ran before SIGTERM');
    assert.ok(readStamp(dir, 'after-term') > readStamp(dir, 'sigterm'), 'the process outlived SIGTERM by its trap\'s sleep');
    assert.equal(isAlive(pids.main), false, 'main process gone');
    assert.equal(isAlive(pids.child), false, 'background child gone');
  });

  it('SIGKILLs a container ignoring SIGTERM once terminationGracePeriodSeconds (2 s) is over, not before', async () => {
    const dir = hostDir('stubborn');
    const script = `trap '' TERM; echo $$$$ > /state/main.pid; while :; do sleep 1; done`;
    await createObject(cluster.admin, podsPath, shellPod('stubborn', node3.name, script, {
      terminationGracePeriodSeconds: 2,
      volumes: [{ name: 'state', hostPath: { path: dir, type: 'DirectoryOrCreate' } }],
      containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', script], volumeMounts: [{ name: 'state', mountPath: '/state' }] }],
    }));
    await waitRunningReady(cluster.admin, ns, 'stubborn');
    const pid = await waitFor('pid file', () => Promise.resolve(readPid(dir, 'main.pid')));
    const startTicks = readStartTicks(pid);
    assert.ok(startTicks !== undefined, 'the container runs before the deletion');
    const deletedAt = Date.now();
    await deletePod('stubborn');
    while (readStartTicks(pid) === startTicks && Date.now() - deletedAt < 30_000) await sleep(50);
    const lived = Date.now() - deletedAt;
    assert.equal(isAlive(pid), false, 'killed within 30 s');
    assert.ok(lived >= 1_500, `survived SIGTERM for the grace period, but was gone after ${String(lived)} ms`);
    await podGone('stubborn');
  });

  it('backs off restarting a crashing container: CrashLoopBackOff, growing restartCount, growing gaps', async () => {
    await createObject(cluster.admin, podsPath, shellPod('crasher', node3.name, 'exit 1'));
    // When each restartCount was first seen; with the agent's back-off (0, 1, 2, 4 s…) the gap
    // before restart 5 is several times the gap before restart 2.
    const seenAt: number[] = [];
    let sawBackOff = false;
    const deadline = Date.now() + 90_000;
    while (seenAt.length <= 5 && Date.now() < deadline) {
      const status = containerStatus(await getPod(cluster.admin, ns, 'crasher'));
      if (status?.state?.waiting?.reason === 'CrashLoopBackOff') sawBackOff = true;
      const now = Date.now();
      while (seenAt.length <= (status?.restartCount ?? -1)) seenAt.push(now);
      await sleep(100);
    }
    assert.ok(seenAt.length > 5, `restartCount reached 5 (saw ${String(seenAt.length - 1)})`);
    assert.ok(sawBackOff, 'waiting reason CrashLoopBackOff seen');
    const gap = (n: number): number => (seenAt[n] ?? 0) - (seenAt[n - 1] ?? 0);
    assert.ok(gap(5) > 2 * gap(2), `gap before restart 5 (${String(gap(5))} ms) well above the gap before restart 2 (${String(gap(2))} ms)`);
    assert.ok((await podEvents(cluster.admin, ns, 'crasher')).some((e) => e.reason === 'BackOff'), 'BackOff event');
    await deletePod('crasher');
  });

  it('marks a container Ready when its HTTP readiness path answers 200 and not when it answers 404', async () => {
    const server = (port: number): string[] => ['sh', '-c', `echo fine > /srv/ok; exec python3 -m http.server ${String(port)} --directory /srv`];
    await createObject(cluster.admin, podsPath, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'http-ready' },
      spec: {
        nodeName: node3.name, terminationGracePeriodSeconds: 1, volumes: [{ name: 'srv', emptyDir: {} }],
        containers: [
          { name: 'good', image: 'busybox', command: server(8080), ports: [{ containerPort: 8080 }], volumeMounts: [{ name: 'srv', mountPath: '/srv' }],
            readinessProbe: { httpGet: { path: '/ok', port: 8080 }, periodSeconds: 1 } },
          { name: 'bad', image: 'busybox', command: server(8081), ports: [{ containerPort: 8081, name: 'web' }], volumeMounts: [{ name: 'srv', mountPath: '/srv' }],
            readinessProbe: { httpGet: { path: '/missing', port: 'web' }, periodSeconds: 1 } },
        ],
      },
    });
    await waitFor('good ready', async () => (containerStatus(await getPod(cluster.admin, ns, 'http-ready'), 'good')?.ready === true ? true : undefined), 60_000);
    // The bad container's server is up and tells the paths apart: only the probed path fails.
    const codes = await kubectl(cluster, ['-n', ns, 'exec', 'http-ready', '-c', 'bad', '--', 'sh', '-c',
      'curl -s -o /dev/null -w "%{http_code} " http://$POD_IP:8081/missing; curl -s -o /dev/null -w "%{http_code}" http://$POD_IP:8081/ok']);
    assert.equal(codes.stdout, '404 200', codes.stderr);
    await sleep(3_000);
    const pod = await getPod(cluster.admin, ns, 'http-ready');
    assert.equal(containerStatus(pod, 'bad')?.state?.running !== undefined, true);
    assert.equal(containerStatus(pod, 'bad')?.ready, false);
    assert.equal(pod?.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'False');
    await deletePod('http-ready');
  });

  it('runs no liveness probe before the startup probe succeeds', async () => {
    const dir = hostDir('startup');
    await createObject(cluster.admin, podsPath, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'slow-start' },
      spec: {
        nodeName: node3.name, terminationGracePeriodSeconds: 1, volumes: [{ name: 'state', hostPath: { path: dir, type: 'DirectoryOrCreate' } }],
        containers: [{
          name: 'main', image: 'busybox', command: ['sh', '-c', 'sleep 4; date +%s%N > /state/started; exec sleep 3600'],
          volumeMounts: [{ name: 'state', mountPath: '/state' }],
          startupProbe: { exec: { command: ['test', '-f', '/state/started'] }, periodSeconds: 1, failureThreshold: 30 },
          livenessProbe: { exec: { command: ['sh', '-c', 'date +%s%N >> /state/liveness'] }, periodSeconds: 1 },
        }],
      },
    });
    await waitFor('slow-start running', async () => (containerStatus(await getPod(cluster.admin, ns, 'slow-start'))?.state?.running !== undefined ? true : undefined));
    assert.equal(containerStatus(await getPod(cluster.admin, ns, 'slow-start'))?.started, false, 'not started before its startup probe succeeds');
    await waitFor('started', async () => (containerStatus(await getPod(cluster.admin, ns, 'slow-start'))?.started === true ? true : undefined));
    await waitFor('two liveness runs', () => Promise.resolve(existsSync(join(dir, 'liveness')) && readFileSync(join(dir, 'liveness'), 'utf8').trim().split('\n').length >= 2 ? true : undefined));
    const firstLiveness = BigInt(readFileSync(join(dir, 'liveness'), 'utf8').split('\n')[0] ?? '0');
    assert.ok(firstLiveness > readStamp(dir, 'started'), 'the first liveness probe ran after the startup probe could succeed');
    assert.equal(containerStatus(await getPod(cluster.admin, ns, 'slow-start'))?.restartCount, 0);
    await deletePod('slow-start');
  });

  it('shows hostPath (DirectoryOrCreate) and downwardAPI volumes inside the container and refreshes labels', async () => {
    const dir = join(hostDir('created'), 'nested');
    assert.equal(existsSync(dir), false);
    await createObject(cluster.admin, podsPath, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'downward', labels: { app: 'dw', tier: 'one' }, annotations: { note: 'hello' } },
      spec: {
        nodeName: node3.name, terminationGracePeriodSeconds: 1,
        volumes: [
          { name: 'host', hostPath: { path: dir, type: 'DirectoryOrCreate' } },
          { name: 'info', downwardAPI: { items: [
            { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
            { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
            { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
          ] } },
        ],
        containers: [{
          name: 'main', image: 'busybox', command: ['sh', '-c', 'echo from-container > /host-dir/written; exec sleep 3600'],
          volumeMounts: [{ name: 'host', mountPath: '/host-dir' }, { name: 'info', mountPath: '/etc/og-test/podinfo' }],
        }],
      },
    });
    await waitRunningReady(cluster.admin, ns, 'downward');
    await waitFor('file written through the hostPath', () => Promise.resolve(existsSync(join(dir, 'written')) ? true : undefined));
    assert.equal(readFileSync(join(dir, 'written'), 'utf8'), 'from-container\n');
    writeFileSync(join(dir, 'from-host'), 'from-host\n');
    const seen = await kubectl(cluster, ['-n', ns, 'exec', 'downward', '--', 'sh', '-c', 'cat /host-dir/from-host /etc/og-test/podinfo/name; echo; cat /etc/og-test/podinfo/labels; echo; cat /etc/og-test/podinfo/annotations']);
    assert.equal(seen.code, 0, seen.stderr);
    const [fromHost, name, ...rest] = seen.stdout.split('\n');
    assert.equal(fromHost, 'from-host');
    assert.equal(name, 'downward');
    assert.deepEqual(rest.slice(0, 2), ['app="dw"', 'tier="one"']);
    assert.ok(rest.includes('note="hello"'), seen.stdout);
    const relabelled = await kubectl(cluster, ['-n', ns, 'label', 'pod', 'downward', 'tier=two', '--overwrite']);
    assert.equal(relabelled.code, 0, relabelled.stderr);
    // The agent rewrites files volumes every 30 s, as the kubelet's periodic sync does.
    await waitFor('labels file updated', async () => {
      const r = await kubectl(cluster, ['-n', ns, 'exec', 'downward', '--', 'cat', '/etc/og-test/podinfo/labels']);
      if (r.stdout === 'app="dw"\ntier="two"') return true;
      await sleep(1_000);
      return undefined;
    }, 60_000);
    await deletePod('downward');
  });

  it('keeps a Pod ContainerCreating with FailedMount for a missing ConfigMap or Secret volume or an unsupported type, and starts it once the ConfigMap exists', async () => {
    const mounted = (name: string, volume: Record<string, unknown>): Record<string, unknown> => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name },
      spec: {
        nodeName: node3.name, terminationGracePeriodSeconds: 1, volumes: [{ name: 'vol', ...volume }],
        containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'exec sleep 3600'], volumeMounts: [{ name: 'vol', mountPath: '/etc/og-test/vol' }] }],
      },
    });
    await createObject(cluster.admin, podsPath, mounted('late-cm', { configMap: { name: 'late-cm' } }));
    await createObject(cluster.admin, podsPath, mounted('no-secret', { secret: { secretName: 'absent-secret' } }));
    await createObject(cluster.admin, podsPath, mounted('nfs-vol', { nfs: { server: '127.0.0.1', path: '/export' } }));
    const expected: Record<string, RegExp> = {
      'late-cm': /^MountVolume\.SetUp failed for volume "vol" : configmap "late-cm" not found$/,
      'no-secret': /^MountVolume\.SetUp failed for volume "vol" : secret "absent-secret" not found$/,
      'nfs-vol': /^volume "vol": volume type nfs is not supported by the sandbox/,
    };
    for (const [name, message] of Object.entries(expected)) {
      const waiting = await waitFor(`${name} waiting with the mount failure`, async () => {
        const w = containerStatus(await getPod(cluster.admin, ns, name))?.state?.waiting;
        return w?.message !== undefined && message.test(w.message) ? w : undefined;
      });
      assert.equal(waiting.reason, 'ContainerCreating', name);
      assert.equal((await getPod(cluster.admin, ns, name))?.status?.phase, 'Pending', name);
      // Not necessarily the first FailedMount: until the Node authorizer's graph links a brand-new
      // Pod to its node, reading the Secret is refused (403), as a kubelet sees too; the agent retries.
      const event = await waitFor(`${name} FailedMount event`, async () =>
        (await podEvents(cluster.admin, ns, name)).find((e) => e.reason === 'FailedMount' && message.test(e.message ?? '')));
      assert.equal(event.type, 'Warning');
    }
    await createObject(cluster.admin, `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late-cm' }, data: { key: 'arrived' } });
    await waitRunningReady(cluster.admin, ns, 'late-cm');
    const out = await kubectl(cluster, ['-n', ns, 'exec', 'late-cm', '--', 'cat', '/etc/og-test/vol/key']);
    assert.equal(out.stdout, 'arrived');
    assert.equal(containerStatus(await getPod(cluster.admin, ns, 'no-secret'))?.state?.waiting?.reason, 'ContainerCreating');
    for (const name of Object.keys(expected)) await deletePod(name);
  });

  it('runs a restartPolicy Always Pod again after its node crashed and its agent came back; the node is Ready again', async () => {
    await createObject(cluster.admin, podsPath, shellPod('phoenix', node4.name, 'exec sleep 3600'));
    await waitRunningReady(cluster.admin, ns, 'phoenix');
    const before = savedPid(node4.name, 'phoenix');
    assert.ok(before !== undefined && isAlive(before));
    await crashNode({ stateDir: cluster.stateDir, name: node4.name });
    assert.equal(isAlive(before), false, 'the crash killed the pod');
    await cluster.startNode(node4.name, node4.index);
    assert.equal(await nodeReady(node4.name), 'True');
    const restarted = await waitFor('phoenix running again', async () => {
      const pod = await getPod(cluster.admin, ns, 'phoenix');
      const s = containerStatus(pod);
      return s?.state?.running !== undefined && s.ready && (s.restartCount ?? 0) >= 1 ? s : undefined;
    }, 60_000);
    assert.equal(restarted.lastState?.terminated?.reason, 'ContainerStatusUnknown');
    const after = savedPid(node4.name, 'phoenix');
    assert.ok(after !== undefined && after !== before && isAlive(after), 'a new process runs the container');
    const exec = await kubectl(cluster, ['-n', ns, 'exec', 'phoenix', '--', 'echo', 'back']);
    assert.equal(exec.stdout, 'back\n');
  });
});

