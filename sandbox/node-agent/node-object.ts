// The Node and Lease the agent keeps (reference 3.1, 3.2). Pure builders; node-heartbeat.ts
// sends them. Capacity is declared, not measured (reference 3.7).

export type NodeIdentity = {
  readonly name: string;
  readonly internalIp: string;
  readonly kubeletPort: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly capacity: Readonly<Record<string, string>>;
};

export const defaultCapacity = { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '20Gi' } as const;

export function nodeLabels(name: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', ...extra };
}

export function buildNode(node: NodeIdentity): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: node.name, labels: node.labels }, spec: {} };
}

/** MicroTime wants exactly six fractional digits (reference 4.4). */
export function renderMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function renderTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export type ReadySince = { readonly readySinceMs: number; readonly pressureSinceMs: number };

/** Status patch body; transition times stay fixed while the condition does not flip. */
export function buildNodeStatus(node: NodeIdentity, nowMs: number, since: ReadySince): Record<string, unknown> {
  const heartbeat = renderTime(nowMs);
  const pressure = (type: string, reason: string, message: string): Record<string, unknown> => ({
    type, status: 'False', reason, message, lastHeartbeatTime: heartbeat, lastTransitionTime: renderTime(since.pressureSinceMs),
  });
  return {
    status: {
      addresses: [{ type: 'InternalIP', address: node.internalIp }, { type: 'Hostname', address: node.name }],
      daemonEndpoints: { kubeletEndpoint: { Port: node.kubeletPort } },
      capacity: node.capacity,
      allocatable: node.capacity,
      conditions: [
        pressure('MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        pressure('DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        pressure('PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'sandbox node agent is posting ready status', lastHeartbeatTime: heartbeat, lastTransitionTime: renderTime(since.readySinceMs) },
      ],
      nodeInfo: {
        machineID: `sandbox-${node.name}`, systemUUID: `sandbox-${node.name}`, bootID: `sandbox-${node.name}`,
        kernelVersion: 'sandbox', osImage: 'og-operator sandbox', containerRuntimeVersion: 'sandbox://1',
        kubeletVersion: 'v1.36.3', kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64',
      },
      // Route A of reference 2.5: the apiserver proxies exec WebSockets to us unchanged.
      declaredFeatures: ['ExtendWebSocketsToKubelet'],
    },
  };
}

export function buildLease(nodeName: string, nodeUid: string, nowMs: number, durationSeconds: number): Record<string, unknown> {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: nodeName, namespace: 'kube-node-lease',
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUid }],
    },
    spec: { holderIdentity: nodeName, leaseDurationSeconds: durationSeconds, renewTime: renderMicroTime(nowMs) },
  };
}
