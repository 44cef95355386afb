// The storage plugin's PV → directory rules, against a state directory of plain files.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1PersistentVolume } from '@kubernetes/client-node';
import type { ApiClient } from '../node-agent/api-client.ts';
import { silentLogger } from '../node-agent/log.ts';
import { createStoragePlugin } from './node-plugin.ts';

function pv(spec: V1PersistentVolume['spec'], node?: string): V1PersistentVolume {
  const affinity = node === undefined ? {} : {
    nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } },
  };
  return { metadata: { name: 'pv-1' }, spec: { ...spec, ...affinity } };
}

describe('storage node plugin', () => {
  it('resolves local and hostPath PVs for this node and refuses the rest', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'og-storage-plugin-'));
    try {
      const storage = await createStoragePlugin({ nodeName: 'node1', nodeIndex: 1, nodeIp: '127.10.1.1', stateDir, api: {} as ApiClient, log: silentLogger });
      assert.equal(await storage.hostPathFor(pv({ hostPath: { path: '/data/og/pod-0' } })), '/data/og/pod-0');
      assert.equal(await storage.hostPathFor(pv({ local: { path: '/srv/vol' } }, 'node1')), '/srv/vol');
      assert.equal(await storage.hostPathFor(pv({ local: { path: '/srv/vol' } }, 'node2')), undefined, 'pinned to another node');
      assert.equal(await storage.hostPathFor(pv({ nfs: { server: '10.0.0.1', path: '/' } })), undefined, 'neither local nor hostPath');

      // One of ours whose image exists but is not mounted: never the empty directory underneath.
      const mountPoint = join(stateDir, 'volumes', 'mnt', 'pvc-1');
      mkdirSync(mountPoint, { recursive: true });
      writeFileSync(join(stateDir, 'volumes', 'pvc-1.img'), '');
      assert.equal(await storage.hostPathFor(pv({ local: { path: mountPoint } }, 'node1')), undefined);
      rmSync(join(stateDir, 'volumes', 'pvc-1.img'));
      assert.equal(await storage.hostPathFor(pv({ local: { path: mountPoint } }, 'node1')), mountPoint, 'directory mode: no image');
      await storage.close();
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
