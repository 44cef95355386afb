// `<cluster>-init-sc` with 2.0's keys INIT_PASSWD and DBPAASOP_PASSWD, so a cluster adopted from
// 2.0 keeps its Secret and new pods read the password the same way. No owner reference: the
// password outlives the cluster like the PVCs it unlocks. The reconciler creates it when missing
// and never updates it (the password of an existing database does not follow the Secret).
import type { V1Secret } from '@kubernetes/client-node';
import { initSecretName } from '../api/v1/index.ts';
import { clusterObjectLabels, objectMeta, type SpecCluster } from './cluster.ts';
import { SecretKey } from './containers.ts';

/**
 * The password to store: plain text (from passwordSecretRef's Secret, or generated), or 2.0's
 * dbpasswd, which is already base64 and is stored as is.
 */
export type InitPassword = { readonly kind: 'plain'; readonly value: string } | { readonly kind: 'base64'; readonly value: string };

function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function buildInitSecret(cluster: SpecCluster, password: InitPassword): V1Secret {
  const encoded = password.kind === 'base64' ? password.value : base64(password.value);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: objectMeta(cluster, initSecretName(cluster.metadata.name), { owned: false, labels: clusterObjectLabels(cluster) }),
    type: 'Opaque',
    data: { [SecretKey.InitPassword]: encoded, [SecretKey.DbpaasopPassword]: encoded },
  };
}
