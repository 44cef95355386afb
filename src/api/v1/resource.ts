// Identity of the OpenGaussCluster API. These strings are wire contracts shared with
// openGauss-operator 2.0: live objects are adopted, so none of them may change.

export const API_GROUP = 'opengauss.sig';
export const API_VERSION = 'v1';

export const OpenGaussClusterResource = {
  group: API_GROUP,
  version: API_VERSION,
  apiVersion: `${API_GROUP}/${API_VERSION}`,
  kind: 'OpenGaussCluster',
  listKind: 'OpenGaussClusterList',
  plural: 'opengaussclusters',
  singular: 'opengausscluster',
  shortNames: ['ogc'],
  scope: 'Namespaced',
  crdName: `opengaussclusters.${API_GROUP}`,
} as const;
