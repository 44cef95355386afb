// Which NodePorts a node serves and where each forwards to (pure). Backends follow the
// endpointslice controller's rule (reference §3.5) because EndpointSlices cannot hold loopback
// Pod IPs: same namespace, selector match, not terminating, not finished, a Pod IP, Ready=True
// unless publishNotReadyAddresses; `externalTrafficPolicy: Local` keeps this node's Pods.
import type { V1Pod, V1Service, V1ServicePort } from '@kubernetes/client-node';

export type Backend = { readonly podUid: string; readonly pod: string; readonly ip: string; readonly port: number };

export type NodePortRoute = {
  readonly nodePort: number;
  /** `namespace/name:port-name-or-number`, for logs. */
  readonly service: string;
  readonly clientIpAffinity: boolean;
  readonly backends: readonly Backend[];
};

export type NodePortPlan = {
  readonly routes: ReadonlyMap<number, NodePortRoute>;
  /** One line per Service port the sandbox cannot serve, for the agent's log. */
  readonly ignored: readonly string[];
};

export function planNodePorts(services: readonly V1Service[], pods: readonly V1Pod[], nodeName: string): NodePortPlan {
  const routes = new Map<number, NodePortRoute>();
  const ignored: string[] = [];
  for (const service of services) {
    const type = service.spec?.type;
    if (type !== 'NodePort' && type !== 'LoadBalancer') continue;
    const name = `${service.metadata?.namespace ?? ''}/${service.metadata?.name ?? ''}`;
    const selector = service.spec?.selector ?? {};
    for (const port of service.spec?.ports ?? []) {
      const label = `${name}:${port.name ?? String(port.port)}`;
      if (port.nodePort === undefined) continue;
      if ((port.protocol ?? 'TCP') !== 'TCP') ignored.push(`${label}: only TCP NodePorts are served, not ${port.protocol ?? ''}`);
      else if (Object.keys(selector).length === 0) ignored.push(`${label}: a Service without selector has no backends in the sandbox`);
      else if (routes.has(port.nodePort)) ignored.push(`${label}: nodePort ${port.nodePort} is already served for ${routes.get(port.nodePort)?.service ?? ''}`);
      else routes.set(port.nodePort, { nodePort: port.nodePort, service: label, clientIpAffinity: service.spec?.sessionAffinity === 'ClientIP', backends: selectBackends(service, port, pods, nodeName) });
    }
  }
  return { routes, ignored };
}

/** The Pods one Service port forwards to, in a stable order (by namespace/name). */
export function selectBackends(service: V1Service, port: V1ServicePort, pods: readonly V1Pod[], nodeName: string): Backend[] {
  const namespace = service.metadata?.namespace;
  const selector = service.spec?.selector ?? {};
  const anyReadiness = service.spec?.publishNotReadyAddresses === true;
  const localOnly = service.spec?.externalTrafficPolicy === 'Local';
  const backends: Backend[] = [];
  for (const pod of pods) {
    if (pod.metadata?.namespace !== namespace || !matchesSelector(pod, selector) || !isServing(pod, anyReadiness)) continue;
    if (localOnly && pod.spec?.nodeName !== nodeName) continue;
    const target = resolveTargetPort(port, pod);
    const ip = pod.status?.podIP;
    if (target !== undefined && ip !== undefined && ip !== '') {
      backends.push({ podUid: pod.metadata?.uid ?? '', pod: `${namespace ?? ''}/${pod.metadata?.name ?? ''}`, ip, port: target });
    }
  }
  return backends.sort((a, b) => (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0));
}

function matchesSelector(pod: V1Pod, selector: Readonly<Record<string, string>>): boolean {
  const labels = pod.metadata?.labels ?? {};
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

function isServing(pod: V1Pod, anyReadiness: boolean): boolean {
  if (pod.metadata?.deletionTimestamp !== undefined) return false;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (anyReadiness) return true;
  return (pod.status?.conditions ?? []).some((condition) => condition.type === 'Ready' && condition.status === 'True');
}

// targetPort: absent → the Service port; a number; or a name looked up in this Pod's
// containers (each Pod may map the name to a different number).
function resolveTargetPort(port: V1ServicePort, pod: V1Pod): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const container of pod.spec?.containers ?? []) {
    const found = container.ports?.find((p) => p.name === target && (p.protocol ?? 'TCP') === 'TCP');
    if (found !== undefined) return found.containerPort;
  }
  return undefined;
}
