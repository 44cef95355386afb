import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  hostPathPvName, initSecretName, ipFromPodName, legacyConfigMapNames, podName, pvcName, readServiceName,
  scriptsConfigMapName, volumeLabelValue, writeServiceName,
} from './names.ts';

describe('object names', () => {
  it('names a member pod og-<cluster>-pod-<ip with dots as x>, as 2.0 does', () => {
    assert.equal(podName('ogtest', '172.16.0.2'), 'og-ogtest-pod-172x16x0x2');
  });

  it('reads the member IP back from the text after the last -pod-, even when the cluster name has -pod-', () => {
    assert.equal(ipFromPodName('og-ogtest-pod-172x16x0x2'), '172.16.0.2');
    assert.equal(ipFromPodName(podName('my-pod-db', '10.0.0.9')), '10.0.0.9');
  });

  it('returns undefined for names that do not encode an IPv4 address', () => {
    assert.equal(ipFromPodName('og-ogtest-svc'), undefined);
    assert.equal(ipFromPodName('og-ogtest-pod-notanip'), undefined);
  });

  it('names the PVCs, hostPath PVs and their pv label after the pod', () => {
    assert.equal(pvcName('ogtest', '172.16.0.2', 'data'), 'og-ogtest-pod-172x16x0x2-data-pvc');
    assert.equal(pvcName('ogtest', '172.16.0.2', 'log'), 'og-ogtest-pod-172x16x0x2-log-pvc');
    assert.equal(hostPathPvName('ogtest', '172.16.0.2', 'data'), 'og-ogtest-pod-172x16x0x2-data-pv');
    assert.equal(volumeLabelValue('ogtest', '172.16.0.2', 'log'), 'og-ogtest-pod-172x16x0x2-log');
  });

  it('names the write and read Services as the README shows them', () => {
    assert.equal(writeServiceName('ogtest'), 'og-ogtest-svc');
    assert.equal(readServiceName('ogtest'), 'og-ogtest-svc-read');
  });

  it('names the Secret, the scripts ConfigMap and the 1.0 leftovers', () => {
    assert.equal(initSecretName('ogtest'), 'ogtest-init-sc');
    assert.equal(scriptsConfigMapName('ogtest'), 'og-ogtest-cm');
    assert.deepEqual(legacyConfigMapNames('ogtest'), ['ogtest-db-cm', 'ogtest-log-cm', 'ogtest-sh-cm', 'ogtest-init-cm']);
  });

  it('keeps the longest pod name of a 40-character cluster within a 63-character label value', () => {
    assert.equal(podName('a'.repeat(40), '255.255.255.255').length, 63);
  });
});
