// What scripts/run-tests.ts hands the integration tests: a shared control plane started once
// for the whole run. Each integration file still owns its namespace.
import { KubeConfig } from '@kubernetes/client-node';

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

export function sharedKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(sharedControlPlane().kubeconfigPath);
  return kc;
}
