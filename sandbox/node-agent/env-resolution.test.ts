import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { resolveEnv, listEnvSources, type ConfigSources } from './env-resolution.ts';
import { expandVars } from './expand-vars.ts';
import type { PodFacts } from './field-ref.ts';

const pod: V1Pod = {
  metadata: { name: 'db-0', namespace: 'ns1', uid: 'uid-1', labels: { app: 'og' } },
  spec: { nodeName: 'node1', serviceAccountName: 'sa', containers: [] },
};
const facts: PodFacts = { pod, podIp: '127.10.1.5', hostIp: '127.10.1.1', nodeAllocatable: { cpu: '4', memory: '8Gi', 'ephemeral-storage': '20Gi' } };
const sources: ConfigSources = {
  configMaps: new Map([['cm', { a: '1', 'bad key': 'x' }], ['missing', undefined]]),
  secrets: new Map([['sec', { password: 's3cret' }]]),
};
const resolve = (container: V1Container) => resolveEnv({ container, facts, sources, base: new Map([['KUBERNETES_SERVICE_HOST', '127.0.0.1']]) });

describe('container environment', () => {
  it('resolves literals, fieldRefs, key refs and $(VAR) references in order', () => {
    const result = resolve({
      name: 'c',
      env: [
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'PW', valueFrom: { secretKeyRef: { name: 'sec', key: 'password' } } },
        { name: 'A', valueFrom: { configMapKeyRef: { name: 'cm', key: 'a' } } },
        { name: 'URL', value: 'http://$(IP):$(PORT)/$(POD)$$(POD)' },
        { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      ],
    });
    assert.ok(result.ok);
    assert.equal(result.env.get('POD'), 'db-0');
    assert.equal(result.env.get('IP'), '127.10.1.5');
    assert.equal(result.env.get('APP'), 'og');
    assert.equal(result.env.get('PW'), 's3cret');
    assert.equal(result.env.get('A'), '1');
    assert.equal(result.env.get('URL'), 'http://127.10.1.5:$(PORT)/db-0$(POD)');
    assert.equal(result.env.get('CPU'), '4');
    assert.equal(result.env.get('KUBERNETES_SERVICE_HOST'), '127.0.0.1');
  });

  it('imports envFrom with a prefix and skips invalid names, env winning over envFrom', () => {
    const result = resolve({ name: 'c', envFrom: [{ configMapRef: { name: 'cm' }, prefix: 'P_' }], env: [{ name: 'P_a', value: 'override' }] });
    assert.ok(result.ok);
    assert.equal(result.env.get('P_a'), 'override');
    assert.equal(result.env.has('P_bad key'), false);
  });

  it('reports a missing ConfigMap as CreateContainerConfigError in the kubelet wording', () => {
    const result = resolve({ name: 'c', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'missing', key: 'k' } } }] });
    assert.deepEqual(result, { ok: false, reason: 'CreateContainerConfigError', message: 'configmap "missing" not found' });
  });

  it('reports a missing Secret key with namespace and name', () => {
    const result = resolve({ name: 'c', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'sec', key: 'nope' } } }] });
    assert.deepEqual(result, { ok: false, reason: 'CreateContainerConfigError', message: "couldn't find key nope in Secret ns1/sec" });
  });

  it('skips an optional reference that is missing', () => {
    const result = resolve({ name: 'c', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'absent', key: 'k', optional: true } } }] });
    assert.ok(result.ok && !result.env.has('X'));
  });

  it('lists every ConfigMap and Secret to fetch', () => {
    const refs = listEnvSources({ name: 'c', envFrom: [{ secretRef: { name: 's1' } }], env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'c1', key: 'k' } } }] });
    assert.deepEqual(refs, { configMaps: ['c1'], secrets: ['s1'] });
  });
});

describe('$(VAR) expansion', () => {
  it('leaves unknown references and unterminated ones as written', () => {
    const lookup = (n: string) => (n === 'A' ? 'x' : undefined);
    assert.equal(expandVars('$(A)-$(B)-$(A', lookup), 'x-$(B)-$(A');
    assert.equal(expandVars('$$(A) $ end$', lookup), '$(A) $ end$');
  });
});
