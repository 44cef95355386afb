// The node agent against a real control plane (private to this file): node registration and
// heartbeats, pods with env and volumes, exec and logs through the apiserver, restarts, probes,
// bad input, ServiceAccount tokens, agent crash re-adoption and node loss.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import type { V1Node } from '@kubernetes/client-node';
import { agentPaths } from '../agent-paths.ts';
import { crashNode, killContainer, nodeAgentPid } from '../launch.ts';
import { createPodStateStore } from '../pod-state-store.ts';
import { containerStatus, createNamespace, createObject, getPod, isAlive, kubectl, shellPod, waitFor } from './helpers.ts';
import { startTestCluster, type TestCluster } from './test-cluster.ts';

const ns = 'agent-it';
const node1 = { name: 'itnode1', index: 201 };
const node2 = { name: 'itnode2', index: 202 };
let cluster: TestCluster;

const podsPath = `/api/v1/namespaces/${ns}/pods`;

function savedPid(node: string, pod: string, container = 'main'): number | undefined {
  const store = createPodStateStore(agentPaths(cluster.stateDir, node).podStateDir);
  return store.loadAll().find((p) => p.namespace === ns && p.name === pod)?.containers[container]?.pid;
}

async function runningPod(name: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(`${name} running and ready`, async () => {
    const pod = await getPod(cluster.admin, ns, name);
    return pod?.status?.phase === 'Running' && containerStatus(pod)?.ready === true ? true : undefined;
  }, timeoutMs);
}

/** A client certificate of the cluster's PKI (`admin`: system:masters; `node-<name>`: a node). */
function clientCert(stem: string): { cert: Buffer; key: Buffer } {
  const pki = join(cluster.stateDir, 'pki');
  return { cert: readFileSync(join(pki, `${stem}.crt`)), key: readFileSync(join(pki, `${stem}.key`)) };
}

/** A kubelet API GET as the cluster admin, as another identity, or with no certificate (`null`). */
function kubeletGet(path: string, client: { cert: Buffer; key: Buffer } | null = clientCert('admin')): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ca = readFileSync(join(cluster.stateDir, 'pki', 'ca.crt'));
    const req = request({ host: '127.10.201.1', port: 10250, path, ca, ...(client ?? {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('node agent against a real control plane', { timeout: 600_000 }, () => {
  before(async () => {
    cluster = await startTestCluster([node1, node2]);
    await createNamespace(cluster.admin, ns);
  });

  after(async () => {
    await cluster?.close();
  });

  it('registers a Ready node with its loopback address, kubelet port and WebSocket feature', async () => {
    const node = (await cluster.admin.request('GET', `/api/v1/nodes/${node1.name}`)).body as V1Node & { status: { declaredFeatures?: string[] } };
    assert.deepEqual(node.status.addresses?.[0], { type: 'InternalIP', address: '127.10.201.1' });
    assert.equal((node.status.daemonEndpoints?.kubeletEndpoint as unknown as { Port: number }).Port, 10250);
    assert.equal(node.metadata?.labels?.['kubernetes.io/hostname'], node1.name);
    assert.equal(node.status.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
    assert.deepEqual(node.status.declaredFeatures, ['ExtendWebSocketsToKubelet']);
    const lease = await cluster.admin.request('GET', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node1.name}`);
    assert.equal((lease.body as { spec: { holderIdentity: string } }).spec.holderIdentity, node1.name);
  });

  it('runs a pod with env from fieldRef, ConfigMap and Secret and sees its volumes at their mountPaths', async () => {
    await createObject(cluster.admin, `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { mode: 'fast', 'app.conf': 'port=5432\n' } });
    await createObject(cluster.admin, `/api/v1/namespaces/${ns}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec' }, stringData: { password: 'pa55' } });
    await createObject(cluster.admin, podsPath, shellPod('env-vol', node1.name, 'echo started; exec sleep 3600', {
      containers: [{
        name: 'main', image: 'busybox:1.36', command: ['sh', '-c', 'echo started; exec sleep 3600'], workingDir: '/work',
        env: [
          { name: 'MY_POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'MY_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } },
          { name: 'PW', valueFrom: { secretKeyRef: { name: 'sec', key: 'password' } } },
        ],
        volumeMounts: [{ name: 'conf', mountPath: '/etc/og-test/conf' }, { name: 'secret', mountPath: '/etc/og-test/secret' }, { name: 'scratch', mountPath: '/work' }],
      }],
      volumes: [{ name: 'conf', configMap: { name: 'cfg' } }, { name: 'secret', secret: { secretName: 'sec' } }, { name: 'scratch', emptyDir: {} }],
    }));
    await runningPod('env-vol');
    const pod = await getPod(cluster.admin, ns, 'env-vol');
    const out = await kubectl(cluster, ['-n', ns, 'exec', 'env-vol', '--', 'sh', '-c', 'echo $MY_POD $MY_IP $MODE $PW; cat /etc/og-test/conf/app.conf /etc/og-test/secret/password; echo; pwd; touch /etc/og-test/conf/x 2>/dev/null || echo read-only']);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, `env-vol ${pod?.status?.podIP ?? ''} fast pa55\nport=5432\npa55\n/work\nread-only\n`);
    assert.match(pod?.status?.podIP ?? '', /^127\.10\.201\.\d+$/);
  });

  it('runs the container and its execs as runAsUser with fsGroup, writing to an emptyDir', async () => {
    await createObject(cluster.admin, podsPath, shellPod('nonroot', node1.name, 'touch /scratch/mine; exec sleep 3600', {
      securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 2000 },
      containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'touch /scratch/mine; exec sleep 3600'], volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] }],
      volumes: [{ name: 'scratch', emptyDir: {} }],
    }));
    await runningPod('nonroot');
    const out = await kubectl(cluster, ['-n', ns, 'exec', 'nonroot', '--', 'sh', '-c', 'id -u; id -G; stat -c %u /scratch/mine']);
    assert.equal(out.stdout, '1000\n1000 2000\n1000\n');
  });

  it('serves kubectl logs and exec through the apiserver, proxied straight to the agent', async () => {
    await createObject(cluster.admin, podsPath, shellPod('chatty', node1.name, 'for i in 1 2 3 4 5; do echo line $i; done; echo oops >&2; exec sleep 3600'));
    await runningPod('chatty');
    const logs = await waitFor('five log lines', async () => {
      const r = await kubectl(cluster, ['-n', ns, 'logs', 'chatty', '--tail=2']);
      return r.stdout.includes('oops') ? r : undefined;
    });
    assert.equal(logs.stdout, 'line 5\noops\n');
    const stamped = await kubectl(cluster, ['-n', ns, 'logs', 'chatty', '--timestamps', '--tail=1']);
    assert.match(stamped.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z oops\n$/);
    const exec = await kubectl(cluster, ['-n', ns, 'exec', 'chatty', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.equal(exec.code, 3);
    assert.equal(exec.stdout, 'out\n');
    assert.match(exec.stderr, /err\n/);
    const piped = await kubectl(cluster, ['-n', ns, 'exec', '-i', 'chatty', '--', 'cat'], { input: 'through stdin\n' });
    assert.equal(piped.stdout, 'through stdin\n');
    const metrics = await kubectl(cluster, ['get', '--raw', '/metrics']);
    assert.match(metrics.stdout, /apiserver_websocket_streaming_requests_total\{proxy_type="proxied_to_kubelet",subresource="exec"\} [1-9]/);
  });

  it('serves the kubelet API only to the apiserver and cluster admins, as a kubelet without anonymous access', async () => {
    const unauthenticated = await kubeletGet(`/containerLogs/${ns}/chatty/main`, null);
    assert.deepEqual(unauthenticated, { status: 401, body: 'Unauthorized: a client certificate signed by the cluster CA is required' });
    const otherNode = await kubeletGet(`/containerLogs/${ns}/chatty/main`, clientCert(`node-${node2.name}`));
    assert.deepEqual(otherNode, { status: 403, body: `Forbidden (user=system:node:${node2.name}, verb=get, resource=nodes, subresource=log)` });
    assert.equal((await kubeletGet(`/containerLogs/${ns}/chatty/main`)).status, 200);
    assert.equal((await kubeletGet('/healthz', null)).status, 200);
  });

  it('answers malformed kubelet API requests with HTTP errors and keeps running', async () => {
    assert.equal((await kubeletGet('/containerLogs/only-two')).status, 400);
    assert.equal((await kubeletGet(`/containerLogs/${ns}/chatty/main?tailLines=abc`)).status, 400);
    assert.equal((await kubeletGet(`/containerLogs/${ns}/nope/main`)).status, 404);
    assert.equal((await kubeletGet(`/containerLogs/${ns}/chatty/nope`)).status, 404);
    assert.equal((await kubeletGet(`/exec/${ns}/chatty/main?command=ls&output=1`)).status, 400);
    assert.equal((await kubeletGet('/portForward/x/y')).status, 501);
    const exec = await kubectl(cluster, ['-n', ns, 'exec', 'chatty', '-c', 'ghost', '--', 'true']);
    assert.notEqual(exec.code, 0);
    assert.ok(nodeAgentPid({ stateDir: cluster.stateDir, name: node1.name }) !== undefined, 'agent still running');
  });

  it('restarts a killed container per restartPolicy and keeps the previous instance logs', async () => {
    await createObject(cluster.admin, podsPath, shellPod('victim', node1.name, 'echo generation; exec sleep 3600'));
    await runningPod('victim');
    const firstPid = savedPid(node1.name, 'victim');
    assert.deepEqual(killContainer({ stateDir: cluster.stateDir, name: node1.name, namespace: ns, pod: 'victim' }), ['main']);
    const restarted = await waitFor('restartCount 1', async () => {
      const pod = await getPod(cluster.admin, ns, 'victim');
      const s = containerStatus(pod);
      return s?.restartCount === 1 && s.state?.running !== undefined ? s : undefined;
    });
    assert.equal(restarted.lastState?.terminated?.exitCode, 137);
    assert.notEqual(savedPid(node1.name, 'victim'), firstPid);
    assert.ok(firstPid !== undefined && !isAlive(firstPid));
    const previous = await kubectl(cluster, ['-n', ns, 'logs', 'victim', '--previous']);
    assert.equal(previous.stdout, 'generation\n');
  });

  it('leaves a Never-restart pod Failed after its container is killed', async () => {
    await createObject(cluster.admin, podsPath, shellPod('once', node1.name, 'exec sleep 3600', { restartPolicy: 'Never' }));
    await runningPod('once');
    killContainer({ stateDir: cluster.stateDir, name: node1.name, namespace: ns, pod: 'once' });
    const pod = await waitFor('phase Failed', async () => {
      const p = await getPod(cluster.admin, ns, 'once');
      return p?.status?.phase === 'Failed' ? p : undefined;
    });
    assert.equal(containerStatus(pod)?.state?.terminated?.exitCode, 137);
    assert.equal(containerStatus(pod)?.restartCount, 0);
  });

  it('runs init containers in order before the main container', async () => {
    await createObject(cluster.admin, podsPath, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'inits' },
      spec: {
        nodeName: node1.name, terminationGracePeriodSeconds: 1, volumes: [{ name: 'shared', emptyDir: {} }],
        initContainers: [
          { name: 'first', image: 'busybox', command: ['sh', '-c', 'echo first >> /shared/order'], volumeMounts: [{ name: 'shared', mountPath: '/shared' }] },
          { name: 'second', image: 'busybox', command: ['sh', '-c', 'echo second >> /shared/order'], volumeMounts: [{ name: 'shared', mountPath: '/shared' }] },
        ],
        containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'echo main >> /shared/order; exec sleep 3600'], volumeMounts: [{ name: 'shared', mountPath: '/shared' }] }],
      },
    });
    await runningPod('inits');
    const out = await kubectl(cluster, ['-n', ns, 'exec', 'inits', '--', 'cat', '/shared/order']);
    assert.equal(out.stdout, 'first\nsecond\nmain\n');
    const pod = await getPod(cluster.admin, ns, 'inits');
    assert.deepEqual(pod?.status?.initContainerStatuses?.map((s) => s.state?.terminated?.reason), ['Completed', 'Completed']);
  });

  it('reports ErrImagePull for an unknown image and CreateContainerConfigError for a missing ConfigMap', async () => {
    await createObject(cluster.admin, podsPath, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'badimage' }, spec: { nodeName: node1.name, containers: [{ name: 'main', image: 'example.invalid/nothing:1' }] } });
    await createObject(cluster.admin, podsPath, shellPod('badconfig', node1.name, 'sleep 1', {
      containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'], env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k' } } }] }],
    }));
    const image = await waitFor('image pull failure', async () => {
      const reason = containerStatus(await getPod(cluster.admin, ns, 'badimage'))?.state?.waiting;
      return reason?.reason === 'ErrImagePull' || reason?.reason === 'ImagePullBackOff' ? reason : undefined;
    });
    assert.match(image.message ?? '', /not in the sandbox image table/);
    const config = await waitFor('config error', async () => {
      const waiting = containerStatus(await getPod(cluster.admin, ns, 'badconfig'))?.state?.waiting;
      return waiting?.reason === 'CreateContainerConfigError' ? waiting : undefined;
    });
    assert.equal(config.message, 'configmap "absent" not found');
  });

  it('refuses a pod IP outside loopback and a requested IP another pod holds', async () => {
    const annotated = (name: string, ip: string): Record<string, unknown> => {
      const pod = shellPod(name, node1.name, 'exec sleep 3600');
      return { ...pod, metadata: { name, annotations: { 'cni.projectcalico.org/ipAddrs': JSON.stringify([ip]) } } };
    };
    await createObject(cluster.admin, podsPath, annotated('far', '10.1.2.3'));
    await createObject(cluster.admin, podsPath, annotated('fixed-a', '127.10.201.77'));
    await runningPod('fixed-a');
    await createObject(cluster.admin, podsPath, annotated('fixed-b', '127.10.201.77'));
    const far = await waitFor('far refused', async () => {
      const p = await getPod(cluster.admin, ns, 'far');
      return p?.status?.reason === 'FailedCreatePodSandBox' ? p : undefined;
    });
    assert.match(far.status?.message ?? '', /outside the sandbox range 127\.0\.0\.0\/8/);
    assert.equal(far.status?.podIP, undefined);
    const dup = await waitFor('duplicate refused', async () => {
      const p = await getPod(cluster.admin, ns, 'fixed-b');
      return p?.status?.reason === 'FailedCreatePodSandBox' ? p : undefined;
    });
    assert.match(dup.status?.message ?? '', /already used by another pod/);
    assert.equal((await getPod(cluster.admin, ns, 'fixed-a'))?.status?.podIP, '127.10.201.77');
  });

  it('gives a pod a ServiceAccount token whose RBAC allows what it grants and refuses the rest', async () => {
    await createObject(cluster.admin, `/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reader' } });
    await createObject(cluster.admin, `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'cm-reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }],
    });
    await createObject(cluster.admin, `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'cm-reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: ns }],
    });
    await createObject(cluster.admin, podsPath, shellPod('sa-user', node1.name, 'exec sleep 3600', { serviceAccountName: 'reader' }));
    await runningPod('sa-user');
    const call = (resource: string): Promise<{ stdout: string }> => kubectl(cluster, ['-n', ns, 'exec', 'sa-user', '--', 'sh', '-c',
      `d=/var/run/secrets/kubernetes.io/serviceaccount; curl -s -o /dev/null -w '%{http_code}' --cacert $d/ca.crt -H "Authorization: Bearer $(cat $d/token)" https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/api/v1/namespaces/$(cat $d/namespace)/${resource}`]);
    assert.equal((await call('configmaps')).stdout, '200');
    assert.equal((await call('secrets')).stdout, '403');
  });

  it('stops probes-failing containers: not ready on readiness failure, restarted on liveness failure', async () => {
    await createObject(cluster.admin, podsPath, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probed' },
      spec: {
        nodeName: node1.name, terminationGracePeriodSeconds: 1, volumes: [{ name: 'state', emptyDir: {} }],
        containers: [{
          name: 'main', image: 'busybox', command: ['sh', '-c', 'touch /state/alive; sleep 4; rm /state/alive; exec sleep 3600'],
          volumeMounts: [{ name: 'state', mountPath: '/state' }],
          readinessProbe: { tcpSocket: { port: 1 }, periodSeconds: 1, failureThreshold: 1 },
          livenessProbe: { exec: { command: ['cat', '/state/alive'] }, periodSeconds: 1, failureThreshold: 2 },
        }],
      },
    });
    const restarted = await waitFor('liveness restart', async () => {
      const pod = await getPod(cluster.admin, ns, 'probed');
      const s = containerStatus(pod);
      return (s?.restartCount ?? 0) >= 1 ? { pod, s } : undefined;
    }, 40_000);
    assert.equal(restarted.s?.ready, false);
    assert.equal(restarted.pod?.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'False');
  });

  it('probes readiness at once when a not-ready Pod is updated, as a kubelet sync does, not a whole period later', async () => {
    // The first probe (at 1 s) fails; the file appears at 2 s; the next periodic probe would be at 61 s.
    await createObject(cluster.admin, podsPath, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'late-ready' },
      spec: {
        nodeName: node1.name, terminationGracePeriodSeconds: 1, volumes: [{ name: 'state', emptyDir: {} }],
        containers: [{
          name: 'main', image: 'busybox', command: ['sh', '-c', 'sleep 2; touch /state/ready; exec sleep 3600'],
          volumeMounts: [{ name: 'state', mountPath: '/state' }],
          readinessProbe: { exec: { command: ['cat', '/state/ready'] }, initialDelaySeconds: 1, periodSeconds: 60 },
        }],
      },
    });
    await waitFor('late-ready running', async () => (containerStatus(await getPod(cluster.admin, ns, 'late-ready'))?.state?.running !== undefined ? true : undefined));
    await new Promise((r) => setTimeout(r, 4_000));
    assert.equal(containerStatus(await getPod(cluster.admin, ns, 'late-ready'))?.ready, false, 'no probe between periods without a sync');
    const labelled = await kubectl(cluster, ['-n', ns, 'label', 'pod', 'late-ready', 'role=standby']);
    assert.equal(labelled.code, 0, labelled.stderr);
    await waitFor('ready after the label change', async () => (containerStatus(await getPod(cluster.admin, ns, 'late-ready'))?.ready === true ? true : undefined), 10_000);
  });

  it('picks up its pods after an agent crash without starting them twice', async () => {
    await createObject(cluster.admin, podsPath, shellPod('survivor', node1.name, 'exec sleep 3600'));
    await runningPod('survivor');
    const pid = savedPid(node1.name, 'survivor');
    const agentPid = nodeAgentPid({ stateDir: cluster.stateDir, name: node1.name });
    assert.ok(pid !== undefined && agentPid !== undefined);
    process.kill(agentPid, 'SIGKILL');
    await waitFor('agent gone', () => Promise.resolve(isAlive(agentPid) ? undefined : true));
    assert.ok(isAlive(pid), 'pod process outlives the agent');
    await cluster.startNode(node1.name, node1.index);
    const out = await waitFor('exec after restart', async () => {
      const r = await kubectl(cluster, ['-n', ns, 'exec', 'survivor', '--', 'echo', 'still here']);
      return r.code === 0 ? r : undefined;
    });
    assert.equal(out.stdout, 'still here\n');
    const pod = await getPod(cluster.admin, ns, 'survivor');
    assert.equal(containerStatus(pod)?.restartCount, 0);
    assert.equal(savedPid(node1.name, 'survivor'), pid);
  });

  it('kills every process of a deleted pod and confirms the deletion', async () => {
    await createObject(cluster.admin, podsPath, shellPod('doomed', node1.name, 'sleep 3600 & sleep 3600 & exec sleep 3600'));
    await runningPod('doomed');
    const pid = savedPid(node1.name, 'doomed');
    await cluster.admin.request('DELETE', `${podsPath}/doomed`);
    await waitFor('pod object gone', async () => ((await getPod(cluster.admin, ns, 'doomed')) === undefined ? true : undefined));
    assert.ok(pid !== undefined && !isAlive(pid));
    const ps = await kubectl(cluster, ['version', '--client']);
    assert.equal(ps.code, 0);
  });

  it('node stop kills its pods at once and the node goes NotReady', async () => {
    await createObject(cluster.admin, podsPath, shellPod('on-node2', node2.name, 'exec sleep 3600'));
    await waitFor('on-node2 running', async () => ((await getPod(cluster.admin, ns, 'on-node2'))?.status?.phase === 'Running' ? true : undefined));
    const pid = savedPid(node2.name, 'on-node2');
    await crashNode({ stateDir: cluster.stateDir, name: node2.name });
    assert.ok(pid !== undefined && !isAlive(pid));
    const ready = await waitFor('NotReady', async () => {
      const node = (await cluster.admin.request('GET', `/api/v1/nodes/${node2.name}`)).body as V1Node;
      const c = node.status?.conditions?.find((x) => x.type === 'Ready');
      return c?.status !== 'True' ? c : undefined;
    }, 60_000);
    assert.equal(ready.status, 'Unknown');
  });
});
