import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planMounts, planVolumes } from './volume-plan.ts';
import { orderMounts, planImageMounts } from './image-mounts.ts';
import { imageBaseName, resolveImage } from './image-table.ts';

describe('volume plan', () => {
  it('plans every supported volume type', () => {
    const result = planVolumes([
      { name: 'e', emptyDir: {} }, { name: 'h', hostPath: { path: '/tmp/x', type: 'DirectoryOrCreate' } },
      { name: 'c', configMap: { name: 'cm', items: [{ key: 'k', path: 'p' }] } }, { name: 's', secret: { secretName: 'sec', defaultMode: 0o400 } },
      { name: 'd', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      { name: 'p', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }, { configMap: { name: 'kube-root-ca.crt' } }] } },
      { name: 'v', persistentVolumeClaim: { claimName: 'data' } },
    ]);
    assert.ok(result.ok);
    assert.deepEqual(result.volumes.map((v) => v.kind), ['emptyDir', 'hostPath', 'files', 'files', 'files', 'files', 'pvc']);
  });

  it('refuses an unsupported volume type with a message naming it', () => {
    const result = planVolumes([{ name: 'n', nfs: { server: '10.0.0.1', path: '/' } }]);
    assert.ok(!result.ok && /volume type nfs is not supported/.test(result.message));
  });

  it('orders mounts parents first and keeps subPath inside the volume', () => {
    const dirs = new Map([['a', { dir: '/v/a', readOnly: false }], ['b', { dir: '/v/b', readOnly: true }]]);
    const result = planMounts({ name: 'c', volumeMounts: [{ name: 'a', mountPath: '/x/y/z', subPath: 'sub' }, { name: 'b', mountPath: '/x' }] }, dirs);
    assert.deepEqual(result, { ok: true, mounts: [{ source: '/v/b', target: '/x', readOnly: true }, { source: '/v/a/sub', target: '/x/y/z', readOnly: false }] });
    assert.equal(planMounts({ name: 'c', volumeMounts: [{ name: 'a', mountPath: '/x', subPath: '../etc' }] }, dirs).ok, false);
    assert.equal(planMounts({ name: 'c', volumeMounts: [{ name: 'zz', mountPath: '/x' }] }, dirs).ok, false);
  });
});

describe('image table', () => {
  const options = { repoRoot: '/repo', shimDir: '/shims' };

  it('recognises image names regardless of registry and tag', () => {
    assert.equal(imageBaseName('docker.io/library/busybox:1.36@sha256:abc'), 'busybox');
    assert.equal(resolveImage('registry.local/og-operator:dev', options).ok, true);
    assert.equal(resolveImage('docker.elastic.co/beats/filebeat:8.1', options).ok, true);
  });

  it('runs the operator image from the repo with the pinned Node: its build when the agent has one, else the sources', () => {
    const result = resolveImage('og-operator:latest', options);
    assert.ok(result.ok);
    assert.deepEqual(result.spec.entrypoint, ['/repo/node_modules/.bin/node', '/repo/src/main.ts']);
    const built = resolveImage('og-operator:latest', { ...options, operatorEntryPoint: () => '/repo/node_modules/.cache/og-operator/k/main.js' });
    assert.ok(built.ok);
    assert.deepEqual(built.spec.entrypoint, ['/repo/node_modules/.bin/node', '/repo/node_modules/.cache/og-operator/k/main.js']);
  });

  it('keeps a checkout under /tmp visible behind the container\'s private /tmp, and binds nothing otherwise', () => {
    const inTmp = resolveImage('og-operator:latest', { repoRoot: '/tmp/ci/clone', shimDir: '/tmp/ci/clone/shims' });
    assert.ok(inTmp.ok);
    assert.deepEqual(inTmp.spec.binds, [{ source: '/tmp/ci/clone', target: '/tmp/ci/clone' }]);
    const elsewhere = resolveImage('og-operator:latest', options);
    assert.ok(elsewhere.ok);
    assert.equal(elsewhere.spec.binds, undefined);
    const mounts = orderMounts(planImageMounts(inTmp.spec, '/pod/c').mounts, []).map((m) => m.target);
    assert.ok(mounts.indexOf('/tmp') < mounts.indexOf('/tmp/ci/clone'), 'the private /tmp goes first, the checkout over it');
  });

  it('explains an unknown image and an openGauss image without the engine', () => {
    const unknown = resolveImage('nginx:1', options);
    assert.ok(!unknown.ok && /not in the sandbox image table/.test(unknown.message));
    const engineless = resolveImage('opengauss/opengauss:5.0.2', options);
    assert.ok(!engineless.ok && /engine/.test(engineless.message));
  });

  it('binds only the outermost image directories, then volumes over them', () => {
    const { mounts, directories } = planImageMounts({
      imageId: 'i', entrypoint: [], cmd: [], env: {}, pathPrefix: [],
      directories: [{ path: '/gauss', uid: 580, mode: 0o755 }, { path: '/gauss/tmp', uid: 580, mode: 0o700 }], binds: [{ source: '/engine/bin', target: '/gauss/app/bin' }],
    }, '/pod/c');
    assert.deepEqual(directories.map((d) => d.hostPath), ['/pod/c/image/gauss', '/pod/c/image/gauss/tmp', '/pod/c/image/tmp']);
    const ordered = orderMounts(mounts, [{ source: '/pvc', target: '/gauss', readOnly: false }]);
    assert.deepEqual(ordered.map((m) => `${m.source}->${m.target}`), ['/pod/c/image/gauss->/gauss', '/pod/c/image/tmp->/tmp', '/pvc->/gauss', '/engine/bin->/gauss/app/bin']);
  });

  it('gives every container a private /tmp, so two Pods never share socket lock files', () => {
    const { mounts, directories } = planImageMounts({ imageId: 'i', entrypoint: [], cmd: [], env: {}, pathPrefix: [] }, '/pod/c');
    assert.deepEqual(mounts, [{ source: '/pod/c/image/tmp', target: '/tmp', readOnly: false }]);
    assert.deepEqual(directories, [{ hostPath: '/pod/c/image/tmp', uid: 0, mode: 0o1777 }]);
  });
});
