// Every object built for the README sample.yaml carries 2.0's names and labels, so a 2.0 user's
// existing Services, PVCs and scripts keep matching.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildClusterObjects } from './build-cluster-objects.ts';
import { README_SAMPLE, clusterFromManifest } from './fixtures/readme-sample.ts';

const cluster = clusterFromManifest(readFileSync(join(import.meta.dirname, '..', '..', README_SAMPLE), 'utf8'));
const objects = buildClusterObjects(cluster, { password: { kind: 'plain', value: 'Generated#Pass1' } });
const app = { 'app.kubernetes.io/app': 'opengauss' };

describe('objects for the README sample.yaml', () => {
  it('names the pod og-<cr>-pod-<ip with x> and labels it for 2.0\'s selectors', () => {
    const pod = objects.pods[0];
    assert.equal(objects.pods.length, 1);
    assert.equal(pod?.metadata?.name, 'og-ogtest01-pod-192x170x0x110');
    assert.deepEqual(pod?.metadata?.labels, { ...app, 'opengauss.cluster': 'ogtest01' });
    assert.equal(pod?.metadata?.annotations?.['cni.projectcalico.org/ipAddrs'], '["192.170.0.110"]');
  });

  it('keeps 2.0\'s container names, with og first and its first port named og on dbport', () => {
    const spec = objects.pods[0]?.spec;
    assert.deepEqual(spec?.containers.map((c) => c.name), ['og', 'sidecar']);
    assert.deepEqual(spec?.initContainers?.map((c) => c.name), ['volume-permissions', 'initenv']);
    assert.deepEqual(spec?.containers[0]?.ports?.[0], { name: 'og', containerPort: 26000, protocol: 'TCP' });
  });

  it('names the PVCs and hostPath PVs as 2.0 and links them with the pv label', () => {
    assert.deepEqual(objects.pvcs.map((p) => [p.metadata?.name, p.metadata?.labels]), [
      ['og-ogtest01-pod-192x170x0x110-data-pvc', { ...app, 'app.kubernetes.io/name': 'ogtest01', pv: 'og-ogtest01-pod-192x170x0x110-data' }],
      ['og-ogtest01-pod-192x170x0x110-log-pvc', { ...app, 'app.kubernetes.io/name': 'ogtest01', pv: 'og-ogtest01-pod-192x170x0x110-log' }],
    ]);
    assert.deepEqual(objects.pvs.map((p) => [p.metadata?.name, p.metadata?.labels?.['pv']]), [
      ['og-ogtest01-pod-192x170x0x110-data-pv', 'og-ogtest01-pod-192x170x0x110-data'],
      ['og-ogtest01-pod-192x170x0x110-log-pv', 'og-ogtest01-pod-192x170x0x110-log'],
    ]);
  });

  it('names the Services, Secret and ConfigMap as 2.0, with its labels', () => {
    const named = [...objects.services, objects.secret, objects.scriptsConfigMap].map((o) => [o.kind, o.metadata?.name, o.metadata?.labels]);
    const labels = { ...app, 'app.kubernetes.io/name': 'ogtest01' };
    assert.deepEqual(named, [
      ['Service', 'og-ogtest01-svc', labels],
      ['Service', 'og-ogtest01-svc-read', labels],
      ['Secret', 'ogtest01-init-sc', labels],
      ['ConfigMap', 'og-ogtest01-cm', labels],
    ]);
  });

  it('exposes the write Service on writeport and the read Service on readport, both to dbport', () => {
    assert.deepEqual(objects.services.map((s) => [s.spec?.ports?.[0]?.nodePort, s.spec?.ports?.[0]?.port, s.spec?.ports?.[0]?.targetPort]), [
      [31001, 26000, 26000],
      [31000, 26000, 26000],
    ]);
  });

  it('owns pods, Services and the scripts ConfigMap, and leaves PVCs, PVs and the Secret unowned', () => {
    const owned = [...objects.pods, ...objects.services, objects.scriptsConfigMap];
    assert.ok(owned.every((o) => o.metadata?.ownerReferences?.[0]?.kind === 'OpenGaussCluster' && o.metadata.ownerReferences[0].controller === true));
    const unowned = [...objects.pvcs, ...objects.pvs, objects.secret];
    assert.ok(unowned.every((o) => o.metadata?.ownerReferences === undefined));
  });

  it('sets apiVersion and kind on every object for server-side apply', () => {
    const all = [...objects.pods, ...objects.pvcs, ...objects.pvs, ...objects.services, objects.secret, objects.scriptsConfigMap];
    assert.ok(all.every((o) => o.apiVersion === 'v1' && typeof o.kind === 'string'));
  });
});
