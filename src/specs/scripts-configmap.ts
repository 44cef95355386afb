// `og-<cluster>-cm`: the in-pod scripts (assets/scripts, compiled into generated/scripts.ts) and
// the configuration files initenv applies at every pod start: the baseline postgres-cm.conf and
// postgres-user.conf from spec.config. Owned by the cluster. 2.0 rendered placeholders such as
// ${CR_DB_PORT} into its scripts; here the scripts are the same for every cluster and only the
// .conf files differ, so a script is tested once and its content is the file in the repository.
import type { V1ConfigMap } from '@kubernetes/client-node';
import { scriptsConfigMapName } from '../api/v1/index.ts';
import { renderBaselineConf, renderUserConf } from '../domain/baseline-conf.ts';
import { clusterObjectLabels, objectMeta, type SpecCluster } from './cluster.ts';
import { scripts } from './generated/scripts.ts';
import { ScriptKey } from './paths.ts';

export function buildScriptsConfigMap(cluster: SpecCluster): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: objectMeta(cluster, scriptsConfigMapName(cluster.metadata.name), { owned: true, labels: clusterObjectLabels(cluster) }),
    data: {
      ...scripts,
      [ScriptKey.BaselineConf]: renderBaselineConf(cluster.spec.dbport, cluster.spec.memory),
      [ScriptKey.UserConf]: renderUserConf(cluster.spec.config),
    },
  };
}
