// One small HTTP server for the kubelet's probes and Prometheus: /healthz (the process works),
// /readyz (caches synced and, with leader election, this instance still campaigning or
// leading) and /metrics. The address is a parameter: loopback in the sandbox, the pod IP or
// 0.0.0.0 in a cluster.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

// Not `import … from 'node:http'`: building that ESM namespace reads node:http's lazy WebSocket
// getters, which load Node's bundled undici (4–13 MiB of RSS, measured); the CommonJS exports do not.
const { createServer } = process.getBuiltinModule('node:http');

/** A named check; returns undefined when fine, or a short reason. */
export type Check = { readonly name: string; readonly check: () => string | undefined };

export type ProbeServerOptions = {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly registry: Registry;
  readonly health: readonly Check[];
  readonly readiness: readonly Check[];
};

export type ProbeServer = { readonly host: string; readonly port: number; close(): Promise<void> };

function runChecks(checks: readonly Check[], verbose: boolean): { ok: boolean; body: string } {
  const lines: string[] = [];
  let ok = true;
  for (const { name, check } of checks) {
    let failure: string | undefined;
    try {
      failure = check();
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    if (failure !== undefined) ok = false;
    lines.push(failure === undefined ? `[+]${name} ok` : `[-]${name} failed: ${failure}`);
  }
  // Same shape as the API server's probes: terse "ok" unless asked or failing.
  return { ok, body: ok && !verbose ? 'ok\n' : `${lines.join('\n')}\n${ok ? 'ok' : 'failed'}\n` };
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

async function route(options: ProbeServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://probe');
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed\n');
  const verbose = url.searchParams.has('verbose');
  switch (url.pathname) {
    case '/healthz':
    case '/livez': {
      const { ok, body } = runChecks(options.health, verbose);
      return send(res, ok ? 200 : 500, 'text/plain; charset=utf-8', body);
    }
    case '/readyz': {
      const { ok, body } = runChecks(options.readiness, verbose);
      return send(res, ok ? 200 : 503, 'text/plain; charset=utf-8', body);
    }
    case '/metrics':
      return send(res, 200, options.registry.contentType, await options.registry.metrics());
    default:
      return send(res, 404, 'text/plain', 'not found\n');
  }
}

export async function startProbeServer(options: ProbeServerOptions): Promise<ProbeServer> {
  const server = createServer((req, res) => {
    route(options, req, res).catch(() => send(res, 500, 'text/plain', 'internal error\n'));
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => { server.off('error', reject); resolve(); });
  });
  const address = server.address() as AddressInfo;
  return {
    host: address.address,
    port: address.port,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
