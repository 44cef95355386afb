// The control-plane release the sandbox builds. Changing a version means regenerating the
// wrapper modules in hack/ (scripts/gen-go-wrappers.sh) and committing their go.mod and go.sum.
export const kubernetesVersion = 'v1.36.3';
export const etcdVersion = 'v3.6.16';

export const kubeBinaries = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl'] as const;
export type KubeBinary = (typeof kubeBinaries)[number];
export type ControlPlaneBinary = KubeBinary | 'etcd';
