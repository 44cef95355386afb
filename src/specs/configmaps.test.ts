import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aCluster } from './fixtures/a-cluster.ts';
import { scripts } from './generated/scripts.ts';
import { ScriptKey } from './paths.ts';
import { buildScriptsConfigMap } from './scripts-configmap.ts';
import { buildFilebeatConfigMap, buildJobScriptConfigMap, renderFilebeatConfig } from './shared-configmaps.ts';

describe('og-<cluster>-cm', () => {
  const cm = buildScriptsConfigMap(aCluster().withSpec({ dbport: 26000, config: { work_mem: '1GB' } }).build());

  it('ships every script the pod runs and the two .conf files', () => {
    const keys = Object.keys(cm.data ?? {});
    for (const key of Object.values(ScriptKey)) assert.ok(keys.includes(key), key);
    assert.deepEqual(keys.sort(), [...Object.keys(scripts), ScriptKey.BaselineConf, ScriptKey.UserConf].sort());
  });

  it('renders the cluster\'s port into the baseline and spec.config into postgres-user.conf', () => {
    assert.match(cm.data?.[ScriptKey.BaselineConf] ?? '', /^port=26000$/m);
    assert.match(cm.data?.[ScriptKey.UserConf] ?? '', /^work_mem=1GB$/m);
  });
});

describe('shared ConfigMaps', () => {
  it('hard-code neither port 26000 nor an Elasticsearch address (weakness 28)', () => {
    const text = JSON.stringify([buildJobScriptConfigMap('s', 'ns'), buildFilebeatConfigMap('f', 'ns')]);
    assert.doesNotMatch(text, /26000|192\.168\.1\.162|9200|elastic/);
  });

  it('carry no owner, since several clusters share them', () => {
    assert.equal(buildJobScriptConfigMap('s', 'ns').metadata?.ownerReferences, undefined);
    assert.equal(buildFilebeatConfigMap('f', 'ns').metadata?.ownerReferences, undefined);
  });

  it('read 2.0\'s three log inputs with the pod IP and cluster name as fields', () => {
    const text = renderFilebeatConfig({ kind: 'discard' });
    for (const path of ['/gaussarch/log/omm/pg_log/*.log', '/gaussarch/log/omm/bin/*/*.log', '/gaussarch/*audit.log']) assert.ok(text.includes(path), path);
    assert.ok(text.includes('"${MY_POD_IP}"') && text.includes('"${CR_NAME}"'));
    assert.match(text, /^output\.discard:\n {2}enabled: true$/m);
  });

  it('send to a configured Elasticsearch with the password from the sidecar environment, never inline', () => {
    const text = renderFilebeatConfig({ kind: 'elasticsearch', hosts: ['https://es:9200'], username: 'fb', passwordEnv: 'ES_PASSWORD' });
    assert.match(text, /hosts: \["https:\/\/es:9200"\]/);
    assert.match(text, /password: "\$\{ES_PASSWORD\}"/);
  });
});
