// What scripts/run-tests.ts hands the integration tests: a shared control plane started once
// for the whole run. Each integration file still owns its namespace.
import { KubeConfig } from '@kubernetes/client-node';
import { createConnection, type KubeConnection } from '../../src/kube/connection.ts';
import { loadKubeconfig } from '../../src/kube/kubeconfig.ts';

export type SharedControlPlane = { readonly kubeconfigPath: string; readonly kubectlPath: string; readonly binDir: string };

export function sharedControlPlane(): SharedControlPlane {
  const kubeconfigPath = process.env['OGO_TEST_KUBECONFIG'];
  const kubectlPath = process.env['OGO_TEST_KUBECTL'];
  const binDir = process.env['OGO_TEST_BIN_DIR'];
  if (!kubeconfigPath || !kubectlPath || !binDir) {
    throw new Error('integration tests need the shared control plane: run them through `npm test` (scripts/run-tests.ts)');
  }
  return { kubeconfigPath, kubectlPath, binDir };
}

/** client-node's KubeConfig, for tests that use its generated APIs directly. */
export function sharedKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(sharedControlPlane().kubeconfigPath);
  return kc;
}

/** The operator's own connection to the shared control plane (what src/main.ts builds). */
export async function sharedConnection(): Promise<KubeConnection> {
  return createConnection(await loadKubeconfig(sharedControlPlane().kubeconfigPath));
}
