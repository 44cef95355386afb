// Our connection seen as the KubeConfig that client-node's Exec (dist/exec.js →
// web-socket-handler.js) is typed to take. Of a KubeConfig, Exec calls only getCurrentCluster()
// (for `server`) and applyToHTTPSOptions() (TLS options and credential headers for the WebSocket
// it opens with ws). The view implements exactly these two; the cast below is the only place where
// it stands in for a KubeConfig. The dependency is pinned (2.0.1); test/unit/kube-exec.test.ts
// runs exec through the view over TLS.
import type { Cluster, KubeConfig } from '@kubernetes/client-node';
import type { KubeConnection } from './connection.ts';

type SocketOptions = { headers?: Record<string, unknown> };

type ClientNodeView = {
  getCurrentCluster(): Cluster;
  applyToHTTPSOptions(options: SocketOptions): Promise<void>;
};

export function asClientNodeConfig(connection: KubeConnection): KubeConfig {
  const view: ClientNodeView = {
    getCurrentCluster: () => ({ name: 'operator', server: connection.server, skipTLSVerify: !connection.tls.rejectUnauthorized }),
    applyToHTTPSOptions(options) {
      Object.assign(options, connection.tls);
      options.headers = { ...options.headers, ...connection.authHeaders() };
      return Promise.resolve();
    },
  };
  return view as unknown as KubeConfig;
}
