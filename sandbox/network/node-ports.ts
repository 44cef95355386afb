// The NodePort proxy of one node agent (reference §3.5). The agent feeds it the Services and
// Pods it watches (cluster-wide) through update(); the proxy listens on the node's own address and
// on the address all agents share (SO_REUSEPORT), forwards each new connection round-robin to a
// current backend, and, unlike kube-proxy, closes established connections to a Pod that stopped
// being a backend: that is how the operator's write Service cuts clients off an old primary in the
// sandbox.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { assertSandboxAddress } from '../address-guard.ts';
import { planNodePorts, type Backend, type NodePortRoute } from './plan-node-ports.ts';

/** pino-compatible subset. */
export type ProxyLogger = { info(fields: object, message: string): void; warn(fields: object, message: string): void };

export type NodePortProxyOptions = {
  /** This node's own address, e.g. ['127.10.n.1']: no other listener may share the port there. */
  readonly listenAddresses: readonly string[];
  /**
   * Addresses every node agent of the sandbox serves at once (['127.0.0.1']), with SO_REUSEPORT:
   * the kernel spreads new connections over the agents that are up, and a crashed agent's
   * listener goes with its process, so the NodePort keeps answering while any node runs.
   */
  readonly sharedAddresses?: readonly string[];
  /** Why this proxy may not join the shared listeners of a port (another sandbox serves it), or undefined. */
  readonly refuseShared?: (nodePort: number) => string | undefined;
  /** For `externalTrafficPolicy: Local`. */
  readonly nodeName: string;
  readonly log?: ProxyLogger;
};

export type NodePortProxy = {
  /** Recomputes routes; opens and closes listeners; closes connections to Pods no longer backends. */
  update(services: readonly V1Service[], pods: readonly V1Pod[]): void;
  /** Resolves once listeners opened by past updates are listening (or failed and were logged). */
  settled(): Promise<void>;
  /** NodePorts with a listener on every address (own and shared). */
  listeningPorts(): number[];
  connectionCount(): number;
  close(): Promise<void>;
};

type Connection = { readonly nodePort: number; readonly backend: Backend; readonly client: Socket; readonly upstream: Socket };

const quiet: ProxyLogger = { info: () => undefined, warn: () => undefined };

export function createNodePortProxy(options: NodePortProxyOptions): NodePortProxy {
  const sharedAddresses = options.sharedAddresses ?? [];
  const allAddresses = [...options.listenAddresses, ...sharedAddresses];
  for (const address of allAddresses) assertSandboxAddress(address, 'listen on');
  const log = options.log ?? quiet;
  const listeners = new Map<number, Map<string, Server>>();
  const refusedShared = new Map<number, string>();
  const pending = new Set<Promise<void>>();
  const connections = new Set<Connection>();
  const turn = new Map<number, number>();
  const affinity = new Map<string, string>();
  let routes: ReadonlyMap<number, NodePortRoute> = new Map();
  let reported = new Set<string>();

  function pick(route: NodePortRoute, clientIp: string): Backend | undefined {
    const { backends } = route;
    if (backends.length === 0) return undefined;
    const stickyKey = `${route.nodePort}|${clientIp}`;
    const sticky = route.clientIpAffinity ? backends.find((b) => sameBackend(b, affinity.get(stickyKey))) : undefined;
    if (sticky !== undefined) return sticky;
    const next = (turn.get(route.nodePort) ?? 0) % backends.length;
    turn.set(route.nodePort, next + 1);
    const chosen = backends[next];
    if (chosen !== undefined && route.clientIpAffinity) affinity.set(stickyKey, backendKey(chosen));
    return chosen;
  }

  function onConnection(nodePort: number, client: Socket): void {
    const route = routes.get(nodePort);
    const backend = route === undefined ? undefined : pick(route, client.remoteAddress ?? '');
    // No backend looks like a refused connection to the client, as with kube-proxy.
    if (backend === undefined) return void client.resetAndDestroy();
    try {
      assertSandboxAddress(backend.ip);
    } catch (error) {
      log.warn({ err: error, nodePort, pod: backend.pod }, 'refusing to forward to a non-sandbox address');
      return void client.resetAndDestroy();
    }
    const upstream = connect({ host: backend.ip, port: backend.port, allowHalfOpen: true });
    const entry: Connection = { nodePort, backend, client, upstream };
    connections.add(entry);
    client.pipe(upstream);
    upstream.pipe(client);
    upstream.on('error', () => client.resetAndDestroy());
    client.on('error', () => upstream.destroy());
    upstream.on('close', () => { connections.delete(entry); client.destroy(); });
    client.on('close', () => { connections.delete(entry); upstream.destroy(); });
  }

  function listen(nodePort: number, address: string, shared: boolean): void {
    const servers = listeners.get(nodePort) ?? new Map<string, Server>();
    listeners.set(nodePort, servers);
    const server = createServer({ allowHalfOpen: true }, (socket) => onConnection(nodePort, socket));
    servers.set(address, server);
    const opened = new Promise<void>((resolve) => {
      server.once('listening', () => resolve());
      server.on('error', (error) => {
        log.warn({ err: error, nodePort, address }, 'NodePort listener failed; retried on the next update');
        if (servers.get(address) === server) servers.delete(address);
        server.close();
        resolve();
      });
    });
    const tracked = opened.finally(() => pending.delete(tracked));
    pending.add(tracked);
    // Every listener on a shared address must ask for SO_REUSEPORT, or the first one locks the others out.
    server.listen({ port: nodePort, host: address, exclusive: true, reusePort: shared });
  }

  function openMissing(nodePort: number): void {
    const servers = listeners.get(nodePort);
    for (const address of options.listenAddresses) if (servers?.has(address) !== true) listen(nodePort, address, false);
    for (const address of sharedAddresses) {
      if (listeners.get(nodePort)?.has(address) === true) continue;
      const refused = options.refuseShared?.(nodePort);
      if (refused === undefined) {
        refusedShared.delete(nodePort);
        listen(nodePort, address, true);
        continue;
      }
      // Asked again on every update (the other sandbox may go away), logged once per reason.
      if (refusedShared.get(nodePort) !== refused) log.warn({ nodePort, address, reason: refused }, 'not serving the NodePort on the shared address');
      refusedShared.set(nodePort, refused);
    }
  }

  function cutStaleConnections(): void {
    for (const entry of connections) {
      const backends = routes.get(entry.nodePort)?.backends ?? [];
      if (backends.some((b) => sameBackend(b, backendKey(entry.backend)))) continue;
      log.info({ nodePort: entry.nodePort, pod: entry.backend.pod }, 'closing a connection to a Pod that is no longer a backend');
      connections.delete(entry);
      entry.client.resetAndDestroy();
      entry.upstream.destroy();
    }
  }

  return {
    update(services, pods) {
      const plan = planNodePorts(services, pods, options.nodeName);
      routes = plan.routes;
      const ignored = new Set(plan.ignored);
      for (const line of ignored) if (!reported.has(line)) log.info({ reason: line }, 'NodePort ignored');
      reported = ignored;
      for (const [nodePort, servers] of listeners) {
        if (!routes.has(nodePort)) {
          listeners.delete(nodePort);
          refusedShared.delete(nodePort);
          servers.forEach((server) => server.close());
        }
      }
      for (const nodePort of routes.keys()) openMissing(nodePort);
      cutStaleConnections();
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    listeningPorts: () => [...listeners].filter(([, servers]) => allAddresses.every((a) => servers.get(a)?.listening === true)).map(([port]) => port).sort((a, b) => a - b),
    connectionCount: () => connections.size,
    async close() {
      const servers = [...listeners.values()].flatMap((byAddress) => [...byAddress.values()]);
      listeners.clear();
      routes = new Map();
      cutStaleConnections();
      await Promise.all(servers.filter((s) => s.listening).map(async (s) => { s.close(); await once(s, 'close'); }));
    },
  };
}

function backendKey(backend: Backend): string {
  return `${backend.podUid}|${backend.ip}|${backend.port}`;
}

function sameBackend(backend: Backend, key: string | undefined): boolean {
  return key !== undefined && backendKey(backend) === key;
}
