// [integration][root] The provisioner against the real apiserver of the shared control plane
// (OGO_TEST_KUBECONFIG), with loop volumes in a temporary state dir. Claims name a node no agent
// serves, and the provisioner only serves that node, so it never touches other tests' claims.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, statfs } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions, type V1PersistentVolume, type V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { startProvisioner, type Provisioner } from './provisioner.ts';
import { cleanupVolumes } from './volume-store.ts';
import { resolvePersistentVolumePath } from './persistent-volume.ts';

const kubeconfigPath = process.env['OGO_TEST_KUBECONFIG'];
const skip = kubeconfigPath === undefined ? 'needs the shared control plane (OGO_TEST_KUBECONFIG)' : userInfo().uid !== 0 ? 'needs root' : false;
const MiB = 2 ** 20;

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('startProvisioner [integration] [root]', { skip }, () => {
  const namespace = `sbx-provisioner-test-${process.pid}`;
  const nodeName = `provisioner-test-node-${process.pid}`;
  const kc = new KubeConfig();
  let core: CoreV1Api;
  let stateDir = '';
  let provisioner: Provisioner | undefined;
  let pvName = '';

  before(async () => {
    kc.loadFromFile(kubeconfigPath ?? '');
    core = kc.makeApiClient(CoreV1Api);
    stateDir = await mkdtemp('/var/tmp/og-provisioner-test-');
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    provisioner = await startProvisioner({ kubeconfigPath: kubeconfigPath ?? '', stateDir, nodeName, resyncMs: 1000 });
  });
  after(async () => {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    await provisioner?.stop();
    if (pvName !== '') await core.deletePersistentVolume({ name: pvName }).catch(() => undefined);
    await cleanupVolumes(stateDir);
    await rm(stateDir, { recursive: true, force: true });
  });

  const readClaim = (): Promise<V1PersistentVolumeClaim> => core.readNamespacedPersistentVolumeClaim({ name: 'data', namespace });
  const readVolume = (): Promise<V1PersistentVolume | undefined> => core.readPersistentVolume({ name: pvName }).catch(() => undefined);

  it('provisions a loop volume for a claim placed on its node, and the claim binds', async () => {
    assert.equal(provisioner?.mode.kind, 'loop');
    const created = await core.createNamespacedPersistentVolumeClaim({ namespace, body: {
      metadata: { name: 'data', annotations: { 'volume.kubernetes.io/selected-node': nodeName } },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'sandbox-local', resources: { requests: { storage: '32Mi' } } },
    } });
    pvName = `pvc-${created.metadata?.uid ?? ''}`;
    const bound = await eventually('claim Bound', async () => { const c = await readClaim(); return c.status?.phase === 'Bound' ? c : undefined; });
    assert.equal(bound.spec?.volumeName, pvName);
    assert.equal(bound.status?.capacity?.['storage'], '32Mi');
    const pv = await readVolume();
    const resolved = pv === undefined ? undefined : resolvePersistentVolumePath(pv);
    assert.ok(resolved?.ok === true);
    assert.deepEqual(resolved.nodes, [nodeName]);
    const fs = await statfs(resolved.path);
    assert.ok(fs.blocks * fs.bsize > 24 * MiB && fs.blocks * fs.bsize <= 32 * MiB);
  });

  it('expands the volume online when the claim asks for more, ending with the new capacity and no conditions', async () => {
    await core.patchNamespacedPersistentVolumeClaim({ name: 'data', namespace, body: { spec: { resources: { requests: { storage: '64Mi' } } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    const claim = await eventually('claim capacity 64Mi', async () => { const c = await readClaim(); return c.status?.capacity?.['storage'] === '64Mi' ? c : undefined; });
    assert.deepEqual(claim.status?.conditions ?? [], []);
    assert.equal((await readVolume())?.spec?.capacity?.['storage'], '64Mi');
    const path = (await readVolume())?.spec?.local?.path ?? '';
    const fs = await statfs(path);
    assert.ok(fs.blocks * fs.bsize > 48 * MiB, `df size ${fs.blocks * fs.bsize}`);
  });

  it('deletes the volume and its image once the claim is deleted (reclaim policy Delete)', async () => {
    const path = (await readVolume())?.spec?.local?.path ?? '';
    await core.deleteNamespacedPersistentVolumeClaim({ name: 'data', namespace });
    await eventually('PV deleted', async () => ((await readVolume()) === undefined ? true : undefined), 30_000);
    await assert.rejects(stat(path));
    await assert.rejects(stat(`${stateDir}/volumes/${pvName}.img`));
  });
});
