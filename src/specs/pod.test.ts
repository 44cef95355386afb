import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Container } from '@kubernetes/client-node';
import { aCluster } from './fixtures/a-cluster.ts';
import { buildPod, buildRoleLabelPatch } from './pod.ts';
import { bandwidthMbits } from './pod-annotations.ts';

const member = { ip: '10.1.0.11', nodename: 'node-1' };
const container = (containers: readonly V1Container[] | undefined, name: string) => containers?.find((c) => c.name === name);

describe('buildPod', () => {
  const cluster = aCluster().withSpec({ cpu: '2', memory: '8Gi', schedule: { readinessProbePeriod: 15, livenessProbePeriod: 45, gracePeriod: 90, toleration: 60 } }).build();
  const pod = buildPod(cluster, member, { needInit: true });
  const og = container(pod.spec?.containers, 'og');

  it('runs nothing privileged and drops every capability in the database containers (weakness 12)', () => {
    for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
      assert.equal(c.securityContext?.privileged, false, c.name);
      assert.equal(c.securityContext?.allowPrivilegeEscalation, false, c.name);
      assert.deepEqual(c.securityContext?.capabilities?.drop, ['ALL'], c.name);
    }
    assert.deepEqual(container(pod.spec?.initContainers, 'volume-permissions')?.securityContext?.capabilities?.add, ['CHOWN', 'FOWNER', 'DAC_OVERRIDE']);
    assert.deepEqual(pod.spec?.securityContext, { runAsUser: 580, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    assert.equal(pod.metadata?.annotations?.['security.alpha.kubernetes.io/unsafe-sysctls'], undefined);
  });

  it('adds 2.0\'s kernel.sem sysctl only when asked', () => {
    const withSem = buildPod(cluster, member, { needInit: false, kernelSemSysctl: true });
    assert.deepEqual(withSem.spec?.securityContext?.sysctls, [{ name: 'kernel.sem', value: '250 6400000 1000 25600' }]);
    assert.equal(withSem.metadata?.annotations?.['security.alpha.kubernetes.io/unsafe-sysctls'], 'kernel.sem = 250 6400000 1000 25600');
  });

  it('probes readiness on dbport every readinessProbePeriod and liveness by process every livenessProbePeriod', () => {
    assert.deepEqual(og?.readinessProbe?.tcpSocket, { port: 5432 });
    assert.equal(og?.readinessProbe?.periodSeconds, 15);
    assert.deepEqual(og?.livenessProbe?.exec?.command, ['bash', '/gauss/files/cm-mnt/og-liveness.sh']);
    assert.equal(og?.livenessProbe?.periodSeconds, 45);
  });

  it('requests 2.0\'s minimums and limits to cpu and memory', () => {
    assert.deepEqual(og?.resources, { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '8Gi' } });
    assert.deepEqual(container(pod.spec?.containers, 'sidecar')?.resources, { requests: { cpu: '200m', memory: '500Mi' }, limits: { cpu: '500m', memory: '1Gi' } });
  });

  it('uses gracePeriod and toleration from the schedule', () => {
    assert.equal(pod.spec?.terminationGracePeriodSeconds, 90);
    assert.deepEqual(pod.spec?.tolerations?.map((t) => [t.key, t.tolerationSeconds]), [['node.kubernetes.io/not-ready', 60], ['node.kubernetes.io/unreachable', 60]]);
  });

  it('passes NEED_INIT to initenv and reads the password from the init Secret, never as a value', () => {
    const initenv = container(pod.spec?.initContainers, 'initenv');
    assert.equal(initenv?.env?.find((e) => e.name === 'NEED_INIT')?.value, 'true');
    const passwords = [...(initenv?.env ?? []), ...(og?.env ?? [])].filter((e) => /PASSW/.test(e.name));
    assert.ok(passwords.length === 3 && passwords.every((e) => e.value === undefined && e.valueFrom?.secretKeyRef?.name === 'ogtest-init-sc'));
  });

  it('sets the role label only when given, over the user\'s labels', () => {
    const labelled = buildPod(aCluster().withSpec({ labels: { 'opengauss.role': 'fake', team: 'x' } }).build(), member, { needInit: false, role: 'standby' });
    assert.equal(labelled.metadata?.labels?.['opengauss.role'], 'standby');
    assert.equal(labelled.metadata?.labels?.['team'], 'x');
    assert.equal(pod.metadata?.labels?.['opengauss.role'], undefined);
  });

  it('routes customizedenv by prefix and strips it', () => {
    const custom = buildPod(aCluster().withSpec({ customizedenv: { og_A: '1', sidecar_B: '2' } }).build(), member, { needInit: false });
    assert.deepEqual(container(custom.spec?.containers, 'og')?.env?.slice(2), [{ name: 'A', value: '1' }]);
    assert.deepEqual(container(custom.spec?.containers, 'sidecar')?.env?.slice(2), [{ name: 'B', value: '2' }]);
  });

  it('leaves out the root init container when volume ownership is handled elsewhere', () => {
    const bare = buildPod(cluster, member, { needInit: false, volumePermissionsInit: false });
    assert.deepEqual(bare.spec?.initContainers?.map((c) => c.name), ['initenv']);
  });
});

describe('placement and network annotations', () => {
  it('pins a calico member to its nodename and requests its IP from calico', () => {
    const pod = buildPod(aCluster().build(), member, { needInit: false });
    assert.deepEqual(pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchExpressions?.[0]?.values, ['node-1']);
    assert.equal(pod.spec?.affinity?.podAntiAffinity, undefined);
    assert.equal(pod.metadata?.annotations?.['cni.projectcalico.org/ipAddrs'], '["10.1.0.11"]');
  });

  it('places kube-ovn members by schedule.nodes and nodelabels, one per host', () => {
    const cluster = aCluster().withSpec({ networkclass: 'kube-ovn', schedule: { nodes: ['a', 'b'], nodelabels: { disk: 'ssd' } } }).build();
    const pod = buildPod(cluster, member, { needInit: false });
    assert.deepEqual(pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchExpressions?.[0]?.values, ['a', 'b']);
    assert.deepEqual(pod.spec?.nodeSelector, { disk: 'ssd' });
    assert.equal(pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.[0]?.topologyKey, 'kubernetes.io/hostname');
    assert.equal(pod.metadata?.annotations?.['ovn.kubernetes.io/ip_address'], '10.1.0.11');
  });

  it('strips attach_logical_switch_array always and the network list without an extendip', () => {
    const cluster = aCluster().withSpec({
      networkclass: 'kube-ovn',
      annotations: { 'k8s.v1.cni.cncf.io/networks': '[{"name":"n","namespace":"ns"}]', attach_logical_switch_array: '[{"networkname":"n","subnetname":"s"}]' },
    }).build();
    const plain = buildPod(cluster, member, { needInit: false }).metadata?.annotations ?? {};
    assert.equal(plain['k8s.v1.cni.cncf.io/networks'], undefined);
    assert.equal(plain['attach_logical_switch_array'], undefined);
    const nic = buildPod(cluster, { ...member, extendip: '10.3.0.1' }, { needInit: false }).metadata?.annotations ?? {};
    assert.equal(nic['n.ns.ovn.kubernetes.io/ip_address'], '10.3.0.1');
    assert.equal(nic['n.ns.ovn.kubernetes.io/logical_switch'], 's');
    assert.equal(nic['attach_logical_switch_array'], undefined);
  });

  it('converts bandwidth to Mbit/s for kube-ovn and passes it through otherwise', () => {
    assert.deepEqual(['100M', '1G', '1.5G', '2T', '10'].map(bandwidthMbits), ['100', '1000', '1500', '2000000', undefined]);
    const calico = buildPod(aCluster().withSpec({ bandwidth: '100M' }).build(), member, { needInit: false }).metadata?.annotations ?? {};
    assert.equal(calico['kubernetes.io/ingress-bandwidth'], '100M');
    assert.equal(calico['kubernetes.io/egress-bandwidth'], '100M');
  });
});

describe('buildRoleLabelPatch', () => {
  it('sets the role label, or removes it with null', () => {
    assert.deepEqual(buildRoleLabelPatch('primary'), { metadata: { labels: { 'opengauss.role': 'primary' } } });
    assert.deepEqual(buildRoleLabelPatch(undefined), { metadata: { labels: { 'opengauss.role': null } } });
  });
});
