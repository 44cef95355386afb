import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConditionReason, EventReason } from '../api/v1/index.ts';
import { decide } from './decide.ts';
import { deriveStatus, stateChangeEvents } from './derive-status.ts';
import { anObservation, NOW_MS } from './fixtures/an-observation.ts';
import { NEW_CLUSTER_GATHER_MS } from './steps-primary.ts';
import type { Action, Decision, MemberCommand, Observation } from './types.ts';

const execs = (d: Decision): MemberCommand['op'][] => d.actions.flatMap((a: Action) => (a.kind === 'exec' ? [a.command.op] : []));
const execTargets = (d: Decision): string[] => d.actions.flatMap((a: Action) => (a.kind === 'exec' ? [a.pod] : []));
const kinds = (d: Decision): string[] => d.actions.map((a) => (a.kind === 'apply' || a.kind === 'create' ? `${a.kind}:${a.object.kind ?? ''}` : a.kind));

describe('decide: gates', () => {
  it('touches nothing of an invalid spec and says why', () => {
    const d = decide(anObservation().withSpec({ readport: 30000, writeport: 30000 }).build());
    assert.deepEqual(d.actions, []);
    assert.equal(d.next.kind, 'stop');
    assert.equal(d.findings.gate, 'invalid');
    assert.match(d.findings.message ?? '', /writeport/);
  });

  it('does nothing while maintenance is true, however unhealthy the cluster', () => {
    const d = decide(anObservation().withSpec({ maintenance: true }).withMembers('missing', 'pending').build());
    assert.deepEqual(d.actions, []);
    assert.equal(d.findings.gate, 'maintaining');
  });

  for (const [name, reason, build] of [
    ['a nodename that names no Node', ConditionReason.NodeNotFound, () => {
      const o = anObservation().withMembers('missing').build();
      return { ...o, members: o.members.map((m) => ({ ...m, nodeExists: false })) };
    }],
    ['an IP an older cluster uses', ConditionReason.IpConflict, () => anObservation().withMembers('missing').with({ ipConflicts: [{ ip: '10.1.0.11', owner: 'db/older' }] }).build()],
    ['a NodePort the API server refused', ConditionReason.NodePortConflict, () => anObservation().with({ applyFailures: [{ object: 'Service og-ogtest-svc', kind: 'Service', status: 422, message: 'provided port is already allocated' }] }).build()],
    ['a missing passwordSecretRef Secret', ConditionReason.SecretMissing, () => anObservation().withSpec({ passwordSecretRef: { name: 'pw' } }).with({ initSecretPresent: false, passwordRef: 'missing' }).build()],
    ['an image that cannot be pulled', ConditionReason.ImagePullFailed, () => {
      const o = anObservation().withMembers('starting').build();
      return { ...o, members: o.members.map((m) => ({ ...m, pod: m.pod === undefined ? undefined : { ...m.pod, waitingReason: 'ImagePullBackOff' } })) };
    }],
  ] as const) {
    it(`blocks the cluster with ${reason} for ${name}, touching nothing, with one Warning`, () => {
      const d = decide(build());
      assert.deepEqual(d.actions, []);
      assert.equal(d.findings.gate, 'badInput');
      assert.equal(d.findings.degraded?.reason, reason);
      assert.equal(d.events.length, 1);
      assert.equal(d.events[0]?.type, 'Warning');
    });
  }
});

describe('decide: creating a cluster', () => {
  const creating = { state: 'creating' } as const;

  it('creates the Secret, ConfigMaps, PVCs, Pods and Services of a new cluster in one pass', () => {
    const o = anObservation().withMembers('missing', 'missing').withStatus(creating).build();
    const d = decide({
      ...o, initSecretPresent: false, scriptsConfigMapData: undefined, sharedConfigMaps: { script: false, filebeat: false },
      services: { write: undefined, read: undefined }, members: o.members.map((m) => ({ ...m, dataPvc: undefined, logPvc: undefined })),
    });
    assert.deepEqual(kinds(d), [
      'createInitSecret', 'apply:ConfigMap', 'create:ConfigMap', 'create:ConfigMap',
      'create:PersistentVolumeClaim', 'create:PersistentVolumeClaim', 'create:PersistentVolumeClaim', 'create:PersistentVolumeClaim',
      'apply:Pod', 'apply:Pod', 'apply:Service', 'apply:Service',
    ]);
    const pod = d.actions.find((a) => a.kind === 'apply' && a.object.kind === 'Pod');
    assert.ok(pod?.kind === 'apply' && JSON.stringify(pod.object).includes('"NEED_INIT","value":"true"'));
    assert.equal(d.next.kind, 'requeueAfter');
  });

  it('creates the static hostPath PV before each PVC in hostpathroot mode, as 2.0 does', () => {
    const o = anObservation().withMembers('missing').withStatus(creating).withSpec({ hostpathroot: '/data/og' }).build();
    const d = decide({ ...o, members: o.members.map((m) => ({ ...m, dataPvc: undefined, logPvc: undefined })) });
    const volumes = kinds(d).filter((k) => k.includes('PersistentVolume'));
    assert.deepEqual(volumes, ['create:PersistentVolume', 'create:PersistentVolumeClaim', 'create:PersistentVolume', 'create:PersistentVolumeClaim']);
    const pv = d.actions.find((a) => a.kind === 'create' && a.object.kind === 'PersistentVolume');
    assert.ok(pv?.kind === 'create' && JSON.stringify(pv.object).includes('"path":"/data/og/'));
  });

  it('waits for every member of a new cluster before choosing its primary, not for whichever container started first', () => {
    const d = decide(anObservation().withMembers('starting', 'pending', 'pending').withStatus(creating).unconfigured().createdAgo(5_000).build());
    assert.equal(d.intent, undefined);
    assert.deepEqual(execs(d), []);
    assert.match(d.findings.progressing?.message ?? '', /waiting for 10\.1\.0\.11 to start before choosing the primary/);
    const all = decide(anObservation().withMembers('pending', 'pending', 'pending').withStatus(creating).unconfigured().createdAgo(5_000).build());
    assert.equal(all.intent?.primary, '10.1.0.11');
  });

  it('prefers a member whose volume was part of the cluster before, when a cluster is re-created over retained volumes', () => {
    const d = decide(anObservation().withMembers('pending', 'pendingMember', 'pendingMember').withStatus(creating).createdAgo(5_000).build());
    assert.equal(d.intent?.primary, '10.1.0.12');
    assert.match(d.events[0]?.note ?? '', /data volume was part of the cluster before/);
  });

  it('promotes the first running member in iplist order once the gathering time is over, recording it before acting (INV-1)', () => {
    const d = decide(anObservation().withMembers('starting', 'pending', 'pending').withStatus(creating).unconfigured().createdAgo(NEW_CLUSTER_GATHER_MS + 1).build());
    assert.equal(d.intent?.primary, '10.1.0.12');
    assert.deepEqual(execs(d), ['configure', 'start']);
    assert.deepEqual(execTargets(d), ['og-ogtest-pod-10x1x0x12', 'og-ogtest-pod-10x1x0x12']);
    const start = d.actions.find((a) => a.kind === 'exec' && a.command.op === 'start');
    assert.ok(start?.kind === 'exec' && start.command.op === 'start' && start.command.role === 'primary');
    assert.equal(d.events[0]?.reason, EventReason.SetPrimary);
  });

  it('waits without acting while no member runs', () => {
    const d = decide(anObservation().withMembers('starting', 'starting').withStatus(creating).build());
    assert.deepEqual(execs(d), []);
    assert.equal(d.intent, undefined);
  });

  it('records a build before issuing it for a member that was never configured (INV-2)', () => {
    const d = decide(anObservation().withMembers('primary', 'pending', 'pending').withStatus({ state: 'creating', primary: '10.1.0.11' }).build());
    assert.equal(d.intent?.operation?.type, 'rebuild');
    assert.equal(d.intent?.operation?.to, 'og-ogtest-pod-10x1x0x12');
    assert.equal(d.intent?.operation?.startedAt, new Date(NOW_MS).toISOString());
    assert.deepEqual(execs(d), ['configure', 'build']);
  });

  it('restarts a member that was configured before as standby instead of rebuilding it', () => {
    const d = decide(anObservation().withMembers('primary', 'standby', 'pendingMember').build());
    assert.equal(d.intent, undefined);
    assert.deepEqual(execs(d), ['configure', 'start']);
    assert.equal(d.events[0]?.reason, EventReason.SetStandby);
  });

  it('rebuilds a standby whose WAL diverged', () => {
    const d = decide(anObservation().withMembers('primary', 'diverged').build());
    assert.equal(d.intent?.operation?.type, 'rebuild');
  });

  it('leaves a standby that is still connecting alone', () => {
    const d = decide(anObservation().withMembers('primary', 'standbyConnecting').build());
    assert.deepEqual(execs(d), []);
    assert.equal(d.findings.converged, false);
  });
});

describe('decide: builds in progress', () => {
  const op = (startedAtMs: number, attempt = 0) => ({
    state: 'creating', primary: '10.1.0.11',
    operation: { id: 'b', type: 'rebuild' as const, to: 'og-ogtest-pod-10x1x0x12', phase: 'building', startedAt: new Date(startedAtMs).toISOString(), attempt },
  });

  it('polls a running build without issuing anything', () => {
    const d = decide(anObservation().withMembers('primary', 'building').withStatus(op(NOW_MS - 5_000)).build());
    assert.deepEqual(d.actions.filter((a) => a.kind === 'exec'), []);
    assert.equal(d.findings.progressing?.reason, ConditionReason.Rebuilding);
  });

  it('clears the operation when the member streams', () => {
    const d = decide(anObservation().withMembers('primary', 'standby').withStatus(op(NOW_MS - 5_000)).build());
    assert.equal(d.intent?.operation, null);
    assert.equal(d.events[0]?.reason, EventReason.PodBuildComplete);
  });

  it('re-issues a build lost to an operator restart (the member is still pending)', () => {
    const d = decide(anObservation().withMembers('primary', 'pending').withStatus(op(NOW_MS - 60_000)).build());
    assert.equal(d.intent?.operation?.attempt, 1);
    assert.deepEqual(execs(d), ['configure', 'build']);
  });

  it('does not re-issue a build issued moments ago', () => {
    const d = decide(anObservation().withMembers('primary', 'pending').withStatus(op(NOW_MS - 2_000)).build());
    assert.deepEqual(execs(d), []);
  });

  it('gives up after the attempts and asks a human (state failed)', () => {
    const o = anObservation().withMembers('primary', 'pending').withStatus(op(NOW_MS - 600_000, 2)).build();
    const d = decide(o);
    assert.deepEqual(execs(d), []);
    assert.equal(d.findings.degraded?.reason, ConditionReason.MemberNeedsRebuild);
    assert.equal(deriveStatus(o, d.findings, o.cluster.status).state, 'failed');
  });
});

describe('decide: primary lost and back', () => {
  it('restarts the recorded primary as primary when it comes back pending and nobody else was promoted', () => {
    const d = decide(anObservation().withMembers('pendingMember', 'standby').build());
    assert.equal(d.intent?.primary, '10.1.0.11');
    assert.deepEqual(execs(d), ['configure', 'start']);
  });

  it('starts the recorded primary again as primary when its database stopped inside a running container', () => {
    const d = decide(anObservation().withMembers('stopped', 'standby').build());
    assert.deepEqual(execs(d), ['start']);
    assert.deepEqual(execTargets(d), ['og-ogtest-pod-10x1x0x11']);
    assert.ok(d.actions.some((a) => a.kind === 'exec' && a.command.op === 'start' && a.command.role === 'primary'));
  });

  it('starts a stopped standby again as standby, and leaves a member alone while a gs_ctl command works on it', () => {
    const d = decide(anObservation().withMembers('primary', 'stopped').build());
    assert.ok(d.actions.some((a) => a.kind === 'exec' && a.command.op === 'start' && a.command.role === 'standby' && a.pod === 'og-ogtest-pod-10x1x0x12'));
    const o = anObservation().withMembers('primary', 'stopped').build();
    const busy = o.members.map((m, i) => (i === 1 && m.probe?.ok === true ? { ...m, probe: { ok: true as const, value: { ...m.probe.value, busy: true } } } : m));
    assert.deepEqual(execs(decide({ ...o, members: busy })), []);
  });

  it('never promotes another member while the recorded primary is gone (no failover yet)', () => {
    const d = decide(anObservation().withMembers('missing', 'standby').build());
    assert.deepEqual(execs(d), []);
    assert.equal(d.findings.degraded?.reason, ConditionReason.PrimaryUnavailable);
  });

  it('acts on nothing when two members report primary', () => {
    const d = decide(anObservation().withMembers('primary', 'primary').build());
    assert.deepEqual(execs(d), []);
    assert.equal(d.findings.degraded?.reason, ConditionReason.MultiplePrimaries);
  });
});

describe('decide: routing and configuration', () => {
  it('is converged and polls after pollingPeriod when every member serves its role', () => {
    const d = decide(anObservation().withMembers('primary', 'standby', 'standby').build());
    assert.deepEqual(d.actions, []);
    assert.equal(d.findings.converged, true);
    assert.deepEqual(d.next, { kind: 'requeueAfter', ms: 60_000, why: 'health poll' });
  });

  it('removes the role label of a member that stopped serving and points reads at the primary', () => {
    const o = anObservation().withMembers('primary', 'standby').build();
    const members = o.members.map((m, i) => (i === 1 ? { ...m, pod: m.pod === undefined ? undefined : { ...m.pod, ready: false } } : m));
    const d = decide({ ...o, members });
    const label = d.actions.find((a) => a.kind === 'patchPod');
    assert.deepEqual(label?.kind === 'patchPod' ? label.patch : undefined, { metadata: { labels: { 'opengauss.role': null } } });
    const read = d.actions.find((a) => a.kind === 'apply' && a.object.metadata?.name === 'og-ogtest-svc-read');
    assert.ok(read?.kind === 'apply' && JSON.stringify(read.object).includes('"opengauss.role":"primary"'));
  });

  it('is not converged while a member whose database serves its role is in a Pod not yet Ready (its label would lag)', () => {
    const o = anObservation().withMembers('primary', 'standby').build();
    const members = o.members.map((m, i) => (i === 1 && m.pod !== undefined ? { ...m, pod: { ...m.pod, ready: false, labels: {} } } : m));
    const d = decide({ ...o, members });
    assert.deepEqual(d.actions.filter((a) => a.kind === 'patchPod' && JSON.stringify(a.patch).includes('labels')), []);
    assert.equal(d.findings.converged, false);
    assert.notEqual(deriveStatus(o, d.findings, { state: 'creating' }).state, 'ready');
  });

  it('marks once, by its container ID, a Pod whose database serves before its readiness probe saw it, so the kubelet probes at once', () => {
    const o = anObservation().withMembers('primary', 'standby', 'pending').build();
    const notReady = (i: number, annotations: Record<string, string> = {}) => o.members.map((m, j) => (j === i && m.pod !== undefined ? { ...m, pod: { ...m.pod, ready: false, labels: {}, annotations: { ...m.pod.annotations, ...annotations } } } : m));
    const nudges = (members: typeof o.members) => decide({ ...o, members }).actions.flatMap((a) => (a.kind === 'patchPod' && JSON.stringify(a.patch).includes('serving-container') ? [a] : []));
    assert.deepEqual(nudges(notReady(1)), [{ kind: 'patchPod', pod: 'og-ogtest-pod-10x1x0x12', patch: { metadata: { annotations: { 'opengauss.sig/serving-container': 'containerd://og-10.1.0.12' } } } }]);
    assert.deepEqual(nudges(notReady(1, { 'opengauss.sig/serving-container': 'containerd://og-10.1.0.12' })), [], 'that container was marked already');
    assert.equal(nudges(notReady(1, { 'opengauss.sig/serving-container': 'containerd://an-earlier-instance' })).length, 1, 'a restarted container is marked again');
    assert.deepEqual(nudges(notReady(2)), [], 'a member whose database does not serve yet is left to its probe');
    assert.deepEqual(nudges(o.members), [], 'Ready pods need nothing');
  });

  it('waits for pending probes before routing or roles, leaving labels and status as they are', () => {
    const o = anObservation().withMembers('primary', 'probing').build();
    const d = decide(o);
    assert.deepEqual(d.actions, []);
    assert.equal(d.findings.gate, 'probing');
    assert.deepEqual(d.trace.at(-1), 'probes');
    const status = { state: 'ready', primary: '10.1.0.11', observedGeneration: 1 };
    assert.deepEqual(deriveStatus(o, d.findings, status), status);
    assert.equal(deriveStatus(o, d.findings, undefined).state, 'creating');
  });

  it('reloads spec.config on every member and restarts standbys first for a restart-level key', () => {
    const base = anObservation().withMembers('primary', 'standby').build();
    const changed = anObservation().withMembers('primary', 'standby').withSpec({ config: { shared_buffers: '1GB' } }).build();
    // The pods carry the annotations of the old config.
    const d1 = decide({ ...changed, members: base.members });
    assert.deepEqual(execs(d1), ['configure', 'configure']);
    const reloaded = base.members.map((m) => ({ ...m, pod: m.pod === undefined ? undefined : { ...m.pod, annotations: { ...m.pod.annotations, 'opengauss.sig/config-hash': changedHash(changed, m.ip) } } }));
    const d2 = decide({ ...changed, members: reloaded });
    assert.deepEqual(execs(d2), ['start']);
    assert.deepEqual(execTargets(d2), ['og-ogtest-pod-10x1x0x12']);
  });
});

/** The config hash a member of `o` records once it runs o's spec. */
function changedHash(o: Observation, ip: string): string {
  return o.members.find((m) => m.ip === ip)?.pod?.annotations['opengauss.sig/config-hash'] ?? '';
}

describe('status derivation', () => {
  it('writes ready, the primary IP, observedGeneration and per-member roles for a healthy cluster', () => {
    const o = anObservation().withMembers('primary', 'standby').withStatus({ state: 'creating' }).build();
    const s = deriveStatus(o, decide(o).findings, o.cluster.status);
    assert.equal(s.state, 'ready');
    assert.equal(s.primary, '10.1.0.11');
    assert.equal(s.observedGeneration, 1);
    assert.deepEqual(s.members?.map((m) => [m.role, m.ready]), [['primary', true], ['standby', true]]);
    assert.deepEqual(s.conditions?.map((c) => [c.type, c.status, c.reason]), [['Ready', 'True', 'ClusterReady'], ['Progressing', 'False', 'ReconcileComplete'], ['Degraded', 'False', 'AsExpected']]);
  });

  it('says creating until the first ready, then recovering, and updating after a spec change', () => {
    const o = anObservation().withMembers('primary', 'missing');
    const creating = o.withStatus({ state: 'creating' }).build();
    assert.equal(deriveStatus(creating, decide(creating).findings, creating.cluster.status).state, 'creating');
    const recovering = o.withStatus({ state: 'ready', observedGeneration: 1, primary: '10.1.0.11' }).build();
    assert.equal(deriveStatus(recovering, decide(recovering).findings, recovering.cluster.status).state, 'recovering');
    const updating = { ...recovering, cluster: { ...recovering.cluster, generation: 2 } };
    assert.equal(deriveStatus(updating, decide(updating).findings, updating.cluster.status).state, 'updating');
  });

  it('keeps lastTransitionTime while a condition keeps its status', () => {
    const o = anObservation().withMembers('primary').build();
    const first = deriveStatus(o, decide(o).findings, o.cluster.status);
    const later = { ...o, nowMs: NOW_MS + 60_000 };
    const second = deriveStatus(later, decide(later).findings, first);
    assert.deepEqual(second.conditions, first.conditions);
  });

  it('emits one event per state change and the 2.0 reasons', () => {
    assert.deepEqual(stateChangeEvents('ready', 'ready', ''), []);
    assert.deepEqual(stateChangeEvents(undefined, 'creating', '').map((e) => e.reason), ['Creating']);
    assert.deepEqual(stateChangeEvents('maintaining', 'recovering', '').map((e) => e.reason), ['MaintainComplete', 'Recorvering']);
    assert.deepEqual(stateChangeEvents('invalid', 'ready', '').map((e) => e.reason), ['ValidateFix', 'Ready']);
  });
});
