// Cluster-scoped rights the agents need beyond the Node authorizer: newer Node authorizers let a
// node list Pods only with its own spec.nodeName selector (KEP-4601), but NodePorts and IP
// conflict checks need every Pod and Service. Bound to the group system:nodes, applied with the
// admin identity (server-side apply, so re-running is a no-op).
import type { ApiClient } from './api-client.ts';

export const nodeRbacName = 'sandbox:node-agent';

const clusterRole = {
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole',
  metadata: { name: nodeRbacName, labels: { 'app.kubernetes.io/part-of': 'og-operator-sandbox' } },
  rules: [{ apiGroups: [''], resources: ['pods', 'services'], verbs: ['get', 'list', 'watch'] }],
};

const binding = {
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding',
  metadata: { name: nodeRbacName, labels: { 'app.kubernetes.io/part-of': 'og-operator-sandbox' } },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: nodeRbacName },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:nodes' }],
};

export async function ensureNodeRbac(admin: ApiClient): Promise<void> {
  const apply = { contentType: 'application/apply-patch+yaml' };
  const base = '/apis/rbac.authorization.k8s.io/v1';
  const query = '?fieldManager=sandbox-node-agent&force=true';
  await admin.request('PATCH', `${base}/clusterroles/${nodeRbacName}${query}`, { ...apply, body: clusterRole });
  await admin.request('PATCH', `${base}/clusterrolebindings/${nodeRbacName}${query}`, { ...apply, body: binding });
}
