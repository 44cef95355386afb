// The generated CRD in the real apiserver: it installs, serves the README sample unchanged,
// defaults exactly as applySchemaDefaults does, keeps 2.0-shaped status, and prints 2.0's columns.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { applySchemaDefaults, type ClusterSpec } from '../../src/api/v1/index.ts';
import {
  createCluster, createHarness, createNamespace, deleteNamespace, edited, getCluster, installCrd, kubectl, loadSample,
  replaceStatus, type CrdHarness, SAMPLE_PATH,
} from './crd-support.ts';

const HEADER = 'NAME ROLE CPU MEMORY READ PORT WRITE PORT DB PORT STATE AGE';

describe('OpenGaussCluster CRD in the apiserver', () => {
  let h: CrdHarness;
  let namespace: string;

  before(async () => {
    h = createHarness();
    await installCrd(h);
    namespace = await createNamespace(h, 'crd-install');
  });

  after(async () => {
    await deleteNamespace(h, namespace);
  });

  it('applies from config/crd/ and becomes Established with its names accepted', async () => {
    const crd = await h.extensions.readCustomResourceDefinition({ name: 'opengaussclusters.opengauss.sig' });
    const conditions = new Map((crd.status?.conditions ?? []).map((c) => [c.type, c.status]));
    assert.equal(conditions.get('Established'), 'True');
    assert.equal(conditions.get('NamesAccepted'), 'True');
    assert.deepEqual(crd.status?.acceptedNames?.shortNames, ['ogc']);
  });

  it('accepts the README sample.yaml unchanged with a server-side dry run (kubectl)', async () => {
    const { stdout } = await kubectl(['apply', '--dry-run=server', '--validate=strict', '-n', namespace, '-f', SAMPLE_PATH]);
    assert.match(stdout, /opengausscluster\.opengauss\.sig\/ogtest01 created \(server dry run\)/);
  });

  it('keeps every field of the README sample through a strict dry-run create, adding only schema defaults', async () => {
    const sample = loadSample();
    const created = await createCluster(h, namespace, sample);
    assert.deepEqual(created.spec, applySchemaDefaults(sample.spec as ClusterSpec));
  });

  const defaultingInputs: ReadonlyArray<readonly [string, ClusterSpec]> = [
    ['a minimal spec', { image: 'og:1', readport: 30100, writeport: 30101, networkclass: 'calico', iplist: [{ ip: '10.0.0.1' }] }],
    ['a partial schedule and a passwordSecretRef', {
      image: 'og:1', readport: 30100, writeport: 30101, networkclass: 'kube-ovn', iplist: [{ ip: '10.0.0.1', extendip: '10.1.0.1' }],
      schedule: { processTimeout: 0, nodes: ['n1'] }, passwordSecretRef: { name: 'pw' }, customizedenv: {}, cpu: 2,
    }],
  ];
  for (const [title, spec] of defaultingInputs) {
    it(`defaults ${title} exactly as applySchemaDefaults does`, async () => {
      const body = edited(loadSample(), (m) => { m.spec = structuredClone(spec); });
      const created = await createCluster(h, namespace, body);
      assert.deepEqual(created.spec, applySchemaDefaults(spec));
    });
  }

  it('prints exactly the 2.0 README columns with kubectl get, and Primary and Image with -o wide', async () => {
    await createCluster(h, namespace, loadSample(), true);
    const { stdout } = await kubectl(['get', 'opengaussclusters', '-n', namespace]);
    const [header, row] = stdout.trimEnd().split('\n');
    assert.equal(header?.split(/\s{2,}/).join(' ').trim(), HEADER);
    assert.deepEqual(row?.split(/\s+/).slice(0, 7), ['ogtest01', 'primary', '2', '3G', '31000', '31001', '26000']);
    const wide = (await kubectl(['get', 'ogc', '-n', namespace, '-o', 'wide'])).stdout.split('\n')[0] ?? '';
    assert.equal(wide.split(/\s{2,}/).join(' ').trim(), 'NAME ROLE CPU MEMORY READ PORT WRITE PORT DB PORT STATE PRIMARY IMAGE AGE');
  });

  it('takes a status write through the status subresource and shows the state and primary', async () => {
    const stored = await getCluster(h, namespace, 'ogtest01');
    const status = {
      state: 'ready', primary: '192.170.0.110', observedGeneration: 1,
      conditions: [{ type: 'Ready', status: 'True', reason: 'ClusterReady', message: 'ok', lastTransitionTime: '2026-01-01T00:00:00Z', observedGeneration: 1 }],
      members: [{ name: 'og-ogtest01-pod-192x170x0x110', ip: '192.170.0.110', node: 'node', role: 'primary', ready: true, lsn: '0/3000060', term: 1 }],
    };
    const written = await replaceStatus(h, namespace, { ...stored, status });
    assert.deepEqual((written as unknown as { status: unknown }).status, status);
    const { stdout } = await kubectl(['get', 'ogc', 'ogtest01', '-n', namespace, '-o', 'wide', '--no-headers']);
    assert.match(stdout, /\bready\s+192\.170\.0\.110\s+opengauss-5\.0\.2:latest\b/);
  });

  it('keeps the status fields of an object adopted from 2.0 (status.spec, podstate, syncState, 2.0 conditions)', async () => {
    const stored = await getCluster(h, namespace, 'ogtest01');
    const legacy = {
      state: 'ready', primary: '192.170.0.110', message: '',
      spec: { image: 'opengauss-5.0.2:latest', iplist: [{ ip: '192.170.0.110', nodename: 'node' }], anyOldField: { kept: true } },
      podstate: { '192.170.0.110': '[Local Role: Primary, Process exist: true, ]' },
      syncState: [{ ip: '192.170.0.111', percent: 100, state: 'Sync', priority: 1 }],
      conditions: [{ type: 'ResourceReady', status: 'True', lastUpdateTime: '2024-06-01 10:00:00', message: '' }],
      restore: 'Succeeded', lastUpdateTime: '2024-06-01 10:00:00',
    };
    const written = await replaceStatus(h, namespace, { ...stored, status: legacy });
    assert.deepEqual((written as unknown as { status: unknown }).status, legacy);
  });
});
