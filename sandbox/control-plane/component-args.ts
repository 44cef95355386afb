// Command lines of the control-plane components (pure). Flag choices are explained in
// docs/sandbox.md and ../shared reference §2; the controller list is checked against the
// golden list of this release in a unit test (an unknown name makes the controller-manager exit).
import type { ControlPlanePorts } from './ports.ts';

export type Layout = {
  readonly etcdDataDir: string;
  readonly pkiDir: string;
  readonly kcmKubeconfig: string;
  readonly schedulerKubeconfig: string;
};

export type ArgsInput = { readonly ports: ControlPlanePorts; readonly layout: Layout; readonly fsync: boolean };

/** Controllers the sandbox needs; endpoint controllers stay off because loopback pod IPs are invalid endpoints. */
export const enabledControllers = [
  'serviceaccount-controller', 'serviceaccount-token-controller', 'root-ca-certificate-publisher-controller',
  'namespace-controller', 'garbage-collector-controller',
  'deployment-controller', 'replicaset-controller', 'statefulset-controller', 'job-controller',
  'node-lifecycle-controller', 'taint-eviction-controller', 'pod-garbage-collector-controller',
  'persistentvolume-binder-controller', 'persistentvolumeclaim-protection-controller', 'persistentvolume-protection-controller',
  'persistentvolume-expander-controller', 'disruption-controller', 'clusterrole-aggregation-controller',
] as const;

/** Seconds without a node heartbeat before the node is NotReady; ≥ 5× the agent's 2 s lease renewal. */
export const nodeMonitorGracePeriodSeconds = 12;

/** The CN of the apiserver's client certificate towards kubelets (the node agent admits it). */
export const apiServerKubeletClientName = 'kube-apiserver-kubelet-client';

const loopback = '127.0.0.1';

export function etcdArgs({ ports, layout, fsync }: ArgsInput): string[] {
  const client = `http://${loopback}:${ports.etcdClient}`;
  const peer = `http://${loopback}:${ports.etcdPeer}`;
  return [
    '--name', 'sandbox', '--data-dir', layout.etcdDataDir,
    '--listen-client-urls', client, '--advertise-client-urls', client,
    '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer,
    '--initial-cluster', `sandbox=${peer}`, '--listen-metrics-urls', '',
    '--log-level', 'warn', ...(fsync ? [] : ['--unsafe-no-fsync']),
  ];
}

export function apiServerArgs({ ports, layout }: ArgsInput): string[] {
  const pki = (file: string): string => `${layout.pkiDir}/${file}`;
  return [
    `--etcd-servers=http://${loopback}:${ports.etcdClient}`,
    `--bind-address=${loopback}`, `--secure-port=${ports.apiServer}`, `--advertise-address=${loopback}`,
    // Loopback is invalid in the `kubernetes` Service endpoints; the lease reconciler would refuse it.
    '--endpoint-reconciler-type=none',
    `--tls-cert-file=${pki('apiserver.crt')}`, `--tls-private-key-file=${pki('apiserver.key')}`, `--client-ca-file=${pki('ca.crt')}`,
    '--authorization-mode=Node,RBAC', '--enable-admission-plugins=NodeRestriction',
    `--service-account-issuer=https://${loopback}:${ports.apiServer}`,
    `--service-account-key-file=${pki('sa.pub')}`, `--service-account-signing-key-file=${pki('sa.key')}`,
    // A benchmarking range: ClusterIPs are allocated but never routed in the sandbox.
    '--service-cluster-ip-range=198.18.0.0/24',
    '--kubelet-preferred-address-types=InternalIP',
    // As kubeadm sets it up: a client certificate towards kubelets, and their serving
    // certificates (issued per node for its InternalIP) checked against the cluster CA.
    `--kubelet-client-certificate=${pki('apiserver-kubelet-client.crt')}`, `--kubelet-client-key=${pki('apiserver-kubelet-client.key')}`,
    `--kubelet-certificate-authority=${pki('ca.crt')}`,
    '--default-not-ready-toleration-seconds=5', '--default-unreachable-toleration-seconds=5',
    '--enable-priority-and-fairness=false',
    // Route A: the apiserver proxies exec WebSockets to nodes that declare support (node agent).
    '--feature-gates=ExtendWebSocketsToKubelet=true,NodeDeclaredFeatures=true',
    '--profiling=false', '--v=1',
  ];
}

export function controllerManagerArgs({ ports, layout }: ArgsInput): string[] {
  return [
    `--kubeconfig=${layout.kcmKubeconfig}`, `--authentication-kubeconfig=${layout.kcmKubeconfig}`, `--authorization-kubeconfig=${layout.kcmKubeconfig}`,
    `--bind-address=${loopback}`, `--secure-port=${ports.controllerManager}`,
    '--leader-elect=false', '--use-service-account-credentials=true',
    `--service-account-private-key-file=${layout.pkiDir}/sa.key`, `--root-ca-file=${layout.pkiDir}/ca.crt`,
    `--controllers=${enabledControllers.join(',')}`,
    '--node-monitor-period=1s', `--node-monitor-grace-period=${nodeMonitorGracePeriodSeconds}s`,
    '--terminated-pod-gc-threshold=50', '--profiling=false', '--v=1',
  ];
}

export function schedulerArgs({ ports, layout }: ArgsInput): string[] {
  return [
    `--kubeconfig=${layout.schedulerKubeconfig}`, `--authentication-kubeconfig=${layout.schedulerKubeconfig}`,
    `--authorization-kubeconfig=${layout.schedulerKubeconfig}`,
    `--bind-address=${loopback}`, `--secure-port=${ports.scheduler}`, '--leader-elect=false', '--profiling=false', '--v=1',
  ];
}
