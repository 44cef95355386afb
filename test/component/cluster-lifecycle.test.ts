import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1PersistentVolumeClaim, V1Pod, V1Secret, V1Service } from '@kubernetes/client-node';
import { aSample, createHarness } from './support/harness.ts';

const roles = (h: ReturnType<typeof createHarness>) => Object.fromEntries(h.kube.objects<V1Pod>('Pod').map((p) => [p.metadata?.name ?? '', p.metadata?.labels?.['opengauss.role']]));
const reasons = (h: ReturnType<typeof createHarness>) => h.events.map((e) => e.reason);

describe('OpenGaussCluster controller: create and keep', () => {
  it('takes a 1+2 cluster to ready: first member primary, the others built as standbys', async () => {
    const h = createHarness([aSample('og1', 3)]);
    await h.until('ready');
    assert.deepEqual(roles(h), { 'og-og1-pod-10x1x0x11': 'primary', 'og-og1-pod-10x1x0x12': 'standby', 'og-og1-pod-10x1x0x13': 'standby' });
    const status = h.cluster().status;
    assert.equal(status?.primary, '10.1.0.11');
    assert.equal(status?.observedGeneration, 1);
    assert.deepEqual(status?.members?.map((m) => [m.ip, m.role, m.ready]), [['10.1.0.11', 'primary', true], ['10.1.0.12', 'standby', true], ['10.1.0.13', 'standby', true]]);
    assert.deepEqual(h.members.commands.filter((c) => c.endsWith('build')), ['og-og1-pod-10x1x0x12: build', 'og-og1-pod-10x1x0x13: build']);
    for (const r of ['Creating', 'SetPrimary', 'Rebuilding', 'PodBuildComplete', 'Ready']) assert.ok(reasons(h).includes(r), `event ${r}`);
    assert.equal(reasons(h).filter((r) => r === 'Ready').length, 1);
    const svc = (n: string) => h.kube.objects<V1Service>('Service').find((s) => s.metadata?.name === n)?.spec?.selector?.['opengauss.role'];
    assert.equal(svc('og-og1-svc'), 'primary');
    assert.equal(svc('og-og1-svc-read'), 'standby');
  });

  it('keeps PVCs and the password Secret free of owner references (they outlive the cluster), owns Pods and Services', async () => {
    const h = createHarness([aSample('og1', 1)]);
    await h.until('ready');
    assert.equal(h.kube.objects<V1PersistentVolumeClaim>('PersistentVolumeClaim').length, 2);
    for (const pvc of h.kube.objects<V1PersistentVolumeClaim>('PersistentVolumeClaim')) assert.equal(pvc.metadata?.ownerReferences, undefined);
    const secret = h.kube.objects<V1Secret>('Secret')[0];
    assert.equal(secret?.metadata?.ownerReferences, undefined);
    assert.ok((secret?.data?.['INIT_PASSWD'] ?? '').length > 0);
    for (const pod of h.kube.objects<V1Pod>('Pod')) assert.equal(pod.metadata?.ownerReferences?.[0]?.kind, 'OpenGaussCluster');
  });

  it('is a no-op pass once ready: no writes, next poll after pollingPeriod', async () => {
    const h = createHarness([aSample('og1', 2)]);
    await h.until('ready');
    await h.pass();
    const before = h.kube.calls.length;
    const result = await h.pass();
    assert.deepEqual(h.kube.calls.slice(before), []);
    assert.deepEqual(result, { kind: 'requeueAfter', ms: 60_000, why: 'health poll' });
  });

  it('brings a deleted primary pod back as primary (2.0), without promoting a standby', async () => {
    const h = createHarness([aSample('og1', 2)]);
    await h.until('ready');
    h.kube.store.get('Pod')?.delete('db/og-og1-pod-10x1x0x11');
    h.members.restartPod('og-og1-pod-10x1x0x11');
    await h.until('ready');
    assert.equal(h.cluster().status?.primary, '10.1.0.11');
    assert.equal(h.members.member('og-og1-pod-10x1x0x12').role, 'standby');
    assert.equal(roles(h)['og-og1-pod-10x1x0x11'], 'primary');
  });

  it('starts the primary again in its role when its database stopped while the container ran', async () => {
    const h = createHarness([aSample('og1', 2)]);
    await h.until('ready');
    const before = h.members.commands.length;
    h.members.crashDatabase('og-og1-pod-10x1x0x11');
    await h.until('recovering');
    await h.until('ready');
    assert.deepEqual(h.members.commands.slice(before), ['og-og1-pod-10x1x0x11: start primary']);
    assert.equal(h.cluster().status?.primary, '10.1.0.11');
    assert.equal(roles(h)['og-og1-pod-10x1x0x11'], 'primary');
  });

  it('maintenance stops every action and false resumes', async () => {
    const h = createHarness([aSample('og1', 2, { maintenance: true })]);
    await h.pass();
    assert.equal(h.cluster().status?.state, 'maintaining');
    assert.deepEqual(h.kube.calls.filter((c) => !c.startsWith('status')), []);
    const c = h.cluster();
    h.kube.put('OpenGaussCluster', { ...c, spec: { ...(c.spec as object), maintenance: false }, metadata: { ...c.metadata, generation: 2 } });
    await h.until('ready');
    assert.ok(reasons(h).includes('MaintainStart') && reasons(h).includes('MaintainComplete'));
  });
});

describe('OpenGaussCluster controller: restarts and conflicts', () => {
  it('resumes after an operator restart in the middle of a build, without a duplicate build or object', async () => {
    const h = createHarness([aSample('og1', 2)]);
    for (let i = 0; i < 30 && h.cluster().status?.operation === undefined; i++) await h.pass();
    assert.equal(h.cluster().status?.operation?.type, 'rebuild');
    h.restartOperator();
    await h.until('ready');
    assert.deepEqual(h.members.commands.filter((c) => c.endsWith('build')), ['og-og1-pod-10x1x0x12: build']);
    assert.equal(h.kube.objects('Pod').length, 2);
    assert.equal(h.kube.calls.filter((c) => c.startsWith('create Secret')).length, 1);
  });

  it('does nothing else in a pass whose intent write hits a conflict, and converges on the next', async () => {
    const h = createHarness([aSample('og1', 1)]);
    await h.pass(); // creates the objects
    await h.pass(); // probes the started member; the next pass promotes it
    h.kube.statusConflicts = 4; // every attempt of the intent write (status.primary) fails
    assert.equal(await h.pass(), 'conflict');
    assert.deepEqual(h.members.commands, []);
    assert.notEqual(h.cluster().status?.primary, '10.1.0.11');
    await h.until('ready');
  });

  it('survives a status conflict in the report by retrying the optimistic-lock patch', async () => {
    const h = createHarness([aSample('og1', 1)]);
    await h.until('ready');
    h.kube.statusConflicts = 1;
    const c = h.cluster();
    h.kube.put('OpenGaussCluster', { ...c, metadata: { ...c.metadata, generation: 2 } });
    await h.pass();
    assert.equal(h.cluster().status?.observedGeneration, 2);
  });
});

describe('OpenGaussCluster controller: bad input', () => {
  it('blocks a cluster whose NodePort is taken with NodePortConflict and a Warning, while another cluster becomes ready', async () => {
    const broken = aSample('bad', 1, { readport: 30200, writeport: 30201, iplist: [{ ip: '10.1.0.21', nodename: 'node1' }] });
    const h = createHarness([broken, aSample('good', 1)]);
    h.kube.takenNodePorts.add(30201);
    await h.pass('bad');
    await h.pass('bad');
    const status = h.cluster('bad').status;
    assert.equal(status?.conditions?.find((c) => c.type === 'Degraded')?.reason, 'NodePortConflict');
    assert.ok(h.events.some((e) => e.type === 'Warning' && e.reason === 'ValidateFail'));
    await h.until('ready', 40, 'good');
  });

  it('creates nothing for a member pinned to a node that does not exist', async () => {
    const h = createHarness([aSample('og1', 1, { iplist: [{ ip: '10.1.0.11', nodename: 'nowhere' }] })]);
    await h.pass();
    assert.equal(h.cluster().status?.conditions?.find((c) => c.type === 'Degraded')?.reason, 'NodeNotFound');
    assert.deepEqual(h.kube.calls.filter((c) => !c.startsWith('status')), []);
  });

  it('blocks the younger of two clusters claiming one IP and leaves the older alone', async () => {
    const h = createHarness([aSample('older', 1), aSample('younger', 1, { readport: 30300, writeport: 30301 })]);
    await h.pass('younger');
    assert.equal(h.cluster('younger').status?.conditions?.find((c) => c.type === 'Degraded')?.reason, 'IpConflict');
    await h.until('ready', 40, 'older');
  });

  it('leaves an IP with the cluster whose Pod has it when a newcomer of the same second (and an earlier name) claims it', async () => {
    const h = createHarness([aSample('zeta', 1)]);
    await h.until('ready', 40, 'zeta');
    h.kube.put('OpenGaussCluster', aSample('alpha', 1, { readport: 30300, writeport: 30301 }));
    await h.pass('alpha');
    const degraded = h.cluster('alpha').status?.conditions?.find((c) => c.type === 'Degraded');
    assert.equal(degraded?.reason, 'IpConflict');
    assert.match(degraded?.message ?? '', /db\/zeta/);
    await h.pass('zeta');
    assert.equal(h.cluster('zeta').status?.state, 'ready');
  });

  it('waits with SecretMissing for a passwordSecretRef Secret, then creates the cluster once it appears', async () => {
    const h = createHarness([aSample('og1', 1, { passwordSecretRef: { name: 'pw' } })]);
    await h.pass();
    assert.equal(h.cluster().status?.conditions?.find((c) => c.type === 'Degraded')?.reason, 'SecretMissing');
    h.kube.put('Secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pw', namespace: 'db' }, data: { password: 'U2VjcmV0MTIz' } });
    await h.until('ready');
    assert.equal(h.kube.objects<V1Secret>('Secret').find((s) => s.metadata?.name === 'og1-init-sc')?.data?.['INIT_PASSWD'], 'U2VjcmV0MTIz');
  });

  it('marks an invalid spec invalid without touching anything', async () => {
    const h = createHarness([aSample('og1', 1, { writeport: 30120 })]);
    await h.pass();
    assert.equal(h.cluster().status?.state, 'invalid');
    assert.deepEqual(h.kube.calls.filter((c) => !c.startsWith('status')), []);
  });
});
