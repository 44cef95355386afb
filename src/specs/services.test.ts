import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aCluster } from './fixtures/a-cluster.ts';
import { buildReadService, buildWriteService } from './services.ts';

describe('Services', () => {
  const cluster = aCluster().withSpec({ dbport: 26000, readport: 30100, writeport: 30101 }).build();

  it('selects the primary for writes on writeport', () => {
    const svc = buildWriteService(cluster);
    assert.equal(svc.metadata?.name, 'og-ogtest-svc');
    assert.equal(svc.spec?.type, 'NodePort');
    assert.deepEqual(svc.spec?.selector, { 'opengauss.cluster': 'ogtest', 'opengauss.role': 'primary' });
    assert.deepEqual(svc.spec?.ports, [{ protocol: 'TCP', port: 26000, targetPort: 26000, nodePort: 30101 }]);
  });

  it('selects standbys for reads on readport, or the primary when the reconciler says none is ready', () => {
    assert.deepEqual(buildReadService(cluster).spec?.selector, { 'opengauss.cluster': 'ogtest', 'opengauss.role': 'standby' });
    assert.deepEqual(buildReadService(cluster, 'primary').spec?.selector, { 'opengauss.cluster': 'ogtest', 'opengauss.role': 'primary' });
    assert.equal(buildReadService(cluster).spec?.ports?.[0]?.nodePort, 30100);
  });
});
