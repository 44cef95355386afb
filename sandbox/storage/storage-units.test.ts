import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { V1PersistentVolume } from '@kubernetes/client-node';
import { formatBytes, parseQuantityBytes } from './quantity.ts';
import { parseMountInfo } from './mounts.ts';
import { buildPersistentVolume, resolvePersistentVolumePath } from './persistent-volume.ts';
import { buildStorageClass } from './storage-class.ts';
import { aClaim } from './fixtures.ts';

describe('parseQuantityBytes and formatBytes', () => {
  const table: ReadonlyArray<[string, number | undefined]> = [
    ['10Gi', 10 * 2 ** 30], ['512Mi', 512 * 2 ** 20], ['1.5Gi', 1.5 * 2 ** 30], ['500M', 5e8], ['1k', 1000], ['1e3', 1000], ['1E6', 1e6],
    ['12345', 12345], ['0.5', 1], ['', undefined], ['ten', undefined], ['1Zi', undefined], ['-1Gi', undefined],
  ];
  for (const [text, bytes] of table) it(`reads ${JSON.stringify(text)} as ${String(bytes)}`, () => assert.equal(parseQuantityBytes(text), bytes));
  it('writes bytes with the largest binary suffix that divides evenly', () => {
    assert.deepEqual([formatBytes(2 ** 30), formatBytes(16 * 2 ** 20), formatBytes(1536 * 2 ** 20), formatBytes(1000)], ['1Gi', '16Mi', '1536Mi', '1000']);
  });
});

describe('parseMountInfo', () => {
  it('reads mount points, sources and types, unescaping spaces', () => {
    const text = [
      '36 35 98:0 / /mnt/with\\040space rw,noatime shared:1 - ext4 /dev/loop3 rw',
      '37 35 98:0 / /var/lib/x rw master:1 unbindable - xfs /dev/loop4 rw,attr2',
      'garbage',
    ].join('\n');
    assert.deepEqual(parseMountInfo(text), [
      { mountPoint: '/mnt/with space', source: '/dev/loop3', fsType: 'ext4' },
      { mountPoint: '/var/lib/x', source: '/dev/loop4', fsType: 'xfs' },
    ]);
  });
});

describe('buildStorageClass', () => {
  it('is the default class, waits for the first consumer and allows expansion', () => {
    const sc = buildStorageClass();
    assert.equal(sc.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'], 'true');
    assert.deepEqual([sc.metadata?.name, sc.provisioner, sc.volumeBindingMode, sc.allowVolumeExpansion, sc.reclaimPolicy],
      ['sandbox-local', 'sandbox.local/hostpath', 'WaitForFirstConsumer', true, 'Delete']);
  });
});

describe('buildPersistentVolume', () => {
  it('builds a local PV pre-bound to the claim, pinned to the selected node', () => {
    const pv = buildPersistentVolume(aClaim({ uid: 'u1' }), { node: 'node-2', path: '/s/volumes/mnt/pvc-u1', capacity: '1Gi' });
    assert.equal(pv.metadata?.name, 'pvc-u1');
    assert.equal(pv.metadata?.annotations?.['pv.kubernetes.io/provisioned-by'], 'sandbox.local/hostpath');
    assert.deepEqual(pv.spec?.claimRef, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'ns', name: 'data', uid: 'u1' });
    assert.deepEqual(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms, [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-2'] }] }]);
    assert.deepEqual([pv.spec?.local?.path, pv.spec?.capacity?.['storage'], pv.spec?.persistentVolumeReclaimPolicy, pv.spec?.storageClassName],
      ['/s/volumes/mnt/pvc-u1', '1Gi', 'Delete', 'sandbox-local']);
  });
});

describe('resolvePersistentVolumePath', () => {
  it('finds the path and node of a static hostPath PV as openGauss-operator 2.0 creates it', () => {
    const pv: V1PersistentVolume = { metadata: { name: 'og-pv-1' }, spec: { hostPath: { path: '/data/og1' }, storageClassName: '', persistentVolumeReclaimPolicy: 'Retain',
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1'] }] }] } } } };
    assert.deepEqual(resolvePersistentVolumePath(pv), { ok: true, kind: 'hostPath', path: '/data/og1', nodes: ['node-1'] });
  });
  it('answers any node for a PV without node affinity, and a reason for other volume sources', () => {
    assert.deepEqual(resolvePersistentVolumePath({ spec: { local: { path: '/x' } } }), { ok: true, kind: 'local', path: '/x', nodes: undefined });
    const nfs = resolvePersistentVolumePath({ metadata: { name: 'n' }, spec: { nfs: { server: 's', path: '/' } } });
    assert.equal(nfs.ok, false);
  });
});
