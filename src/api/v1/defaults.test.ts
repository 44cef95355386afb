import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveDefaults, type ValidSpec } from './resolve-defaults.ts';
import { applySchemaDefaults } from './schema-defaults.ts';
import type { ClusterSpec } from './spec.ts';
import { validateCluster } from './validate.ts';

const minimal: ClusterSpec = {
  image: 'opengauss-5.0.2:latest',
  readport: 31000,
  writeport: 31001,
  networkclass: 'calico',
  iplist: [{ ip: '192.170.0.110', nodename: 'node' }],
};

function valid(spec: ClusterSpec): ValidSpec {
  const result = validateCluster({ metadata: { name: 'ogtest' }, spec });
  assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.issues));
  return result.spec;
}

describe('applySchemaDefaults', () => {
  it('fills in the values 2.0\'s reconciler wrote back', () => {
    assert.deepEqual(applySchemaDefaults(minimal), {
      ...minimal,
      cpu: '1',
      memory: '4Gi',
      storage: '3Gi',
      sidecarcpu: '500m',
      sidecarmemory: '1Gi',
      sidecarstorage: '1Gi',
      dbport: 5432,
      localrole: 'primary',
      backuppath: '/data/k8slocalxbk',
      archivelogpath: '/data/k8slocalogarchive',
      maintenance: false,
      scriptconfig: 'opengauss-script-config',
      filebeatconfig: 'opengauss-filebeat-config',
      customizedenv: { og_MONITOR_TYPE: 'OPENGAUSS' },
      schedule: { processTimeout: 300, gracePeriod: 30, toleration: 300, mostavailabletimeout: 60, livenessProbePeriod: 30, readinessProbePeriod: 30 },
    });
  });

  it('leaves storageclass, sidecarimage and networkclass alone: they depend on other fields', () => {
    const spec = applySchemaDefaults({ ...minimal, networkclass: undefined } as unknown as ClusterSpec);
    assert.equal('storageclass' in spec, false);
    assert.equal('sidecarimage' in spec, false);
    assert.equal(spec.networkclass, undefined);
  });

  it('keeps explicit values, including explicit zeros and empty maps', () => {
    const spec = applySchemaDefaults({ ...minimal, dbport: 26000, customizedenv: {}, schedule: { processTimeout: 0 } });
    assert.equal(spec.dbport, 26000);
    assert.deepEqual(spec.customizedenv, {});
    assert.equal(spec.schedule.processTimeout, 0);
    assert.equal(spec.schedule.gracePeriod, 30);
  });

  it('defaults passwordSecretRef.key only when a passwordSecretRef is given', () => {
    assert.deepEqual(applySchemaDefaults({ ...minimal, passwordSecretRef: { name: 's' } }).passwordSecretRef, { name: 's', key: 'password' });
    assert.equal(applySchemaDefaults(minimal).passwordSecretRef, undefined);
  });

  it('does not modify its argument', () => {
    const input = structuredClone(minimal);
    applySchemaDefaults(input);
    assert.deepEqual(input, minimal);
  });
});

describe('resolveDefaults', () => {
  it('defaults storageclass to topolvm-provisioner only without hostpathroot', () => {
    assert.equal(resolveDefaults(valid(minimal)).storageclass, 'topolvm-provisioner');
    assert.equal(resolveDefaults(valid({ ...minimal, hostpathroot: '/data/og' })).storageclass, '');
    assert.equal(resolveDefaults(valid({ ...minimal, storageclass: 'fast' })).storageclass, 'fast');
  });

  it('uses image for the sidecar unless sidecarimage is set', () => {
    assert.equal(resolveDefaults(valid(minimal)).sidecarimage, 'opengauss-5.0.2:latest');
    assert.equal(resolveDefaults(valid({ ...minimal, sidecarimage: 'sidecar:1' })).sidecarimage, 'sidecar:1');
  });

  it('treats a missing networkclass (objects from before 2.0) as calico', () => {
    const { networkclass: _unused, ...old } = minimal;
    const result = validateCluster({ metadata: { name: 'old' }, spec: old }, { metadata: { name: 'old' }, spec: old });
    assert.ok(result.ok);
    assert.equal(resolveDefaults(result.spec).networkclass, 'calico');
  });

  it('reads schedule zeros as defaults and takes the polling period from the operator flag', () => {
    const schedule = resolveDefaults(valid({ ...minimal, schedule: { processTimeout: 0, gracePeriod: 0, toleration: 10 } }), { pollingPeriodSeconds: 15 }).schedule;
    assert.deepEqual(schedule, {
      processTimeout: 300, gracePeriod: 30, toleration: 10, mostavailabletimeout: 60, nodes: [],
      pollingPeriod: 15, livenessProbePeriod: 30, readinessProbePeriod: 30, nodelabels: {},
    });
    assert.equal(resolveDefaults(valid(minimal)).schedule.pollingPeriod, 60);
  });

  it('gives an empty customizedenv 2.0\'s default, and keeps a non-empty one', () => {
    assert.deepEqual(resolveDefaults(valid({ ...minimal, customizedenv: {} })).customizedenv, { og_MONITOR_TYPE: 'OPENGAUSS' });
    assert.deepEqual(resolveDefaults(valid({ ...minimal, customizedenv: { og_TZ: 'UTC' } })).customizedenv, { og_TZ: 'UTC' });
  });

  it('writes quantities as strings, whether YAML gave a string or a number', () => {
    const resolved = resolveDefaults(valid({ ...minimal, cpu: 2, memory: '3G' }));
    assert.equal(resolved.cpu, '2');
    assert.equal(resolved.memory, '3G');
  });

  it('takes the password from passwordSecretRef, else the deprecated dbpasswd, else asks for a generated one', () => {
    assert.deepEqual(resolveDefaults(valid({ ...minimal, passwordSecretRef: { name: 'pw' } })).password, { kind: 'secretRef', name: 'pw', key: 'password' });
    assert.deepEqual(resolveDefaults(valid({ ...minimal, dbpasswd: 'SzhTQGFkbWlu' })).password, { kind: 'legacy', base64: 'SzhTQGFkbWlu' });
    assert.deepEqual(resolveDefaults(valid(minimal)).password, { kind: 'generated' });
  });

  it('gives empty values, never undefined, for the optional lists, maps and strings', () => {
    const r = resolveDefaults(valid(minimal));
    assert.deepEqual([r.remoteiplist, r.config, r.annotations, r.labels, r.bandwidth, r.hostpathroot, r.restorefile], [[], {}, {}, {}, '', '', '']);
  });
});
