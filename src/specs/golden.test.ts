// Golden files of whole built objects: a diff in review is a behaviour change. Regenerate with
// `UPDATE_GOLDEN=1 node --test src/specs/golden.test.ts` and review the diff.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { buildClusterObjects } from './build-cluster-objects.ts';
import { aCluster } from './fixtures/a-cluster.ts';
import { README_SAMPLE, clusterFromManifest } from './fixtures/readme-sample.ts';
import { scripts } from './generated/scripts.ts';
import { buildFilebeatConfigMap, buildJobScriptConfigMap } from './shared-configmaps.ts';

const dir = join(import.meta.dirname, '__golden__');
const readmeSampleCluster = () => clusterFromManifest(readFileSync(join(import.meta.dirname, '..', '..', README_SAMPLE), 'utf8'));

// Script bodies are checked against assets/scripts by the drift test; here only their keys.
function withoutScriptBodies(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key in scripts && typeof v === 'string' ? `<assets/scripts/${key}>` : v))) as unknown;
}

function matchesGolden(name: string, value: unknown): void {
  const path = join(dir, `${name}.yaml`);
  const text = stringify(withoutScriptBodies(value), { lineWidth: 0 });
  if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(path)) writeFileSync(path, text);
  assert.equal(text, readFileSync(path, 'utf8'), `${name}.yaml differs; rerun with UPDATE_GOLDEN=1 if the change is intended`);
}

describe('golden objects', () => {
  it('builds the README sample (hostPath, calico, one member) as recorded', () => {
    const objects = buildClusterObjects(readmeSampleCluster(), {
      password: { kind: 'plain', value: 'Generated#Pass1' },
      members: { '192.170.0.110': { needInit: true, role: 'primary' } },
    });
    matchesGolden('readme-sample', objects);
  });

  it('builds a kube-ovn StorageClass cluster with a second NIC, bandwidth and placement as recorded', () => {
    const cluster = aCluster().named('ovn').inNamespace('prod').withMembers(3).withSpec({
      networkclass: 'kube-ovn',
      storageclass: 'fast-ssd',
      bandwidth: '1.5G',
      sidecarimage: 'opengauss-operator/sidecar:2.0',
      iplist: [
        { ip: '10.1.0.11', extendip: '10.3.0.11' },
        { ip: '10.1.0.12', extendip: '10.3.0.12' },
        { ip: '10.1.0.13' },
      ],
      annotations: {
        'ovn.kubernetes.io/logical_switch': 'og-subnet',
        'k8s.v1.cni.cncf.io/networks': '[{"name":"attachnet","namespace":"prod"}]',
        attach_logical_switch_array: '[{"networkname":"attachnet","subnetname":"attach-subnet"}]',
      },
      labels: { team: 'dba' },
      customizedenv: { og_MONITOR_TYPE: 'OPENGAUSS', sidecar_ES_PASSWORD: 'from-env' },
      schedule: { nodes: ['node-a', 'node-b', 'node-c'], nodelabels: { 'disk': 'ssd' }, readinessProbePeriod: 10, livenessProbePeriod: 20 },
      config: { work_mem: '128MB', port: '1' },
    }).build();
    const objects = buildClusterObjects(cluster, {
      password: { kind: 'base64', value: 'SzhTQGFkbWlu' },
      members: { '10.1.0.11': { needInit: false, role: 'primary' }, '10.1.0.12': { needInit: false, role: 'standby' } },
      readServiceTarget: 'primary',
      pod: { ommUid: 1580, kernelSemSysctl: true },
    });
    matchesGolden('kube-ovn-storageclass', objects);
  });

  it('builds the shared ConfigMaps with neutral defaults and with an Elasticsearch output as recorded', () => {
    matchesGolden('shared-configmaps', [
      buildJobScriptConfigMap('opengauss-script-config', 'prod'),
      buildFilebeatConfigMap('opengauss-filebeat-config', 'prod'),
      buildFilebeatConfigMap('es-filebeat-config', 'prod', { kind: 'elasticsearch', hosts: ['https://es.logging:9200'], username: 'filebeat', passwordEnv: 'ES_PASSWORD' }),
    ]);
  });
});
