import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aCluster } from './fixtures/a-cluster.ts';
import { buildHostPathPv, buildPvc, hostPathVolumePath, pvcSize } from './volumes.ts';

const member = { ip: '10.1.0.11', nodename: 'node-1' };

describe('PVCs in StorageClass mode', () => {
  const cluster = aCluster().withSpec({ storageclass: 'fast', storage: '20Gi', sidecarstorage: '2Gi' }).build();

  it('uses the StorageClass and does not pin a volumeName (2.0\'s 2025 pin broke provisioning: weakness 15)', () => {
    const pvc = buildPvc(cluster, member, 'data');
    assert.equal(pvc.spec?.storageClassName, 'fast');
    assert.equal(pvc.spec?.volumeName, undefined);
    assert.equal(pvc.spec?.selector, undefined);
    assert.deepEqual(pvc.spec?.resources?.requests, { storage: '20Gi' });
    assert.equal(pvc.metadata?.labels?.['pod'], 'og-ogtest-pod-10x1x0x11');
  });

  it('sizes the log PVC from sidecarstorage', () => {
    assert.equal(pvcSize(cluster, 'log'), '2Gi');
    assert.deepEqual(buildPvc(cluster, member, 'log').spec?.resources?.requests, { storage: '2Gi' });
  });

  it('falls back to 2.0\'s default class topolvm-provisioner', () => {
    assert.equal(buildPvc(aCluster().build(), member, 'data').spec?.storageClassName, 'topolvm-provisioner');
  });

  it('never carries an owner reference, so deleting the cluster keeps the data', () => {
    assert.equal(buildPvc(cluster, member, 'data').metadata?.ownerReferences, undefined);
  });
});

describe('hostPath mode', () => {
  const cluster = aCluster().withSpec({ hostpathroot: '/data/og' }).build();

  it('binds each PVC to its own static PV with storageClassName "" so a default class cannot take it', () => {
    const pvc = buildPvc(cluster, member, 'data');
    assert.equal(pvc.spec?.storageClassName, '');
    assert.equal(pvc.spec?.volumeName, 'og-ogtest-pod-10x1x0x11-data-pv');
    assert.deepEqual(pvc.spec?.selector, { matchLabels: { pv: 'og-ogtest-pod-10x1x0x11-data' } });
  });

  it('makes Retain PVs on <root>/<ns>/<cr>/<pod>/<kind>, pinned to the member\'s node and pre-bound to the claim', () => {
    const pv = buildHostPathPv(cluster, member, 'log');
    assert.equal(pv.spec?.persistentVolumeReclaimPolicy, 'Retain');
    assert.equal(pv.spec?.hostPath?.path, '/data/og/db/ogtest/og-ogtest-pod-10x1x0x11/log');
    assert.equal(hostPathVolumePath(cluster, member, 'data'), '/data/og/db/ogtest/og-ogtest-pod-10x1x0x11/data');
    assert.deepEqual(pv.spec?.claimRef, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'db', name: 'og-ogtest-pod-10x1x0x11-log-pvc' });
    assert.deepEqual(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms[0]?.matchExpressions?.[0]?.values, ['node-1']);
    assert.equal(pv.metadata?.ownerReferences, undefined);
  });

  it('gives a member without nodename a PV without node affinity, as 2.0', () => {
    assert.equal(buildHostPathPv(cluster, { ip: '10.1.0.11' }, 'data').spec?.nodeAffinity, undefined);
  });
});
