// The operator's connection to the API server: server URL, TLS material, credentials and one
// keep-alive socket pool shared by REST calls and watches. It replaces client-node's KubeConfig in
// the runtime path: KubeConfig statically loads client-node's generated models (≈ 85 MiB of RSS).
// Requests go through node:https, not fetch or undici, which cost several MiB more for the same
// requests (docs/runtime.md#memory). HTTPS only: the API server never serves plain HTTP in a
// cluster. Loaders (kubeconfig.ts, in-cluster.ts) produce a ConnectionConfig; this makes it usable.
import { readFileSync } from 'node:fs';
import type { ClientRequest, OutgoingHttpHeaders } from 'node:http';
import { Agent, request } from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import { ErrorCodes, OperatorError } from '../errors.ts';

export type ConnectionConfig = {
  /** `https://host:port`, without a trailing slash. */
  readonly server: string;
  /** PEM bundle of the API server's CA; absent: the system roots. */
  readonly ca?: Buffer;
  readonly insecureSkipTlsVerify?: boolean;
  /** Name checked against the server certificate when it differs from the URL's host. */
  readonly tlsServerName?: string;
  readonly clientCert?: Buffer;
  readonly clientKey?: Buffer;
  /** A fixed bearer token. */
  readonly token?: string;
  /** A bearer token file, re-read periodically: projected ServiceAccount tokens rotate. Wins over `token`. */
  readonly tokenFile?: string;
  /** Where the settings came from, for messages: `kubeconfig /path (context x)` or `in-cluster config`. */
  readonly source: string;
};

/** TLS options in the shape node:https, tls.connect and ws accept. */
export type ConnectionTls = {
  /** CA, client certificate and key, parsed once for every connection. */
  readonly secureContext: SecureContext;
  readonly rejectUnauthorized: boolean;
  readonly servername?: string;
};

export type OpenRequest = {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `/api/v1/namespaces/ns/pods/p`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly headers?: OutgoingHttpHeaders;
};

export type KubeConnection = {
  readonly server: string;
  /** For WebSockets (exec): ws opens its own TLS connection with these. */
  readonly tls: ConnectionTls;
  /**
   * Starts a request on the pool with the current credentials (a token file is re-read at most
   * once a `tokenRefreshMs`); the caller writes the body, ends it and reads the response.
   */
  open(request: OpenRequest): ClientRequest;
  /** The credential headers to send now. */
  authHeaders(): Record<string, string>;
  /** Destroys the pooled sockets: call it after the last request. */
  close(): void;
};

export type ConnectionOptions = {
  readonly now?: () => number;
  /** How long a token read from a file is used before the file is read again; client-go's is 1 min. */
  readonly tokenRefreshMs?: number;
};

type TokenSource = () => string | undefined;

function readToken(file: string, source: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new OperatorError(ErrorCodes.KUBE_CONFIG, `${source}: cannot read the token file ${file}; mount the ServiceAccount token or fix the path`, { cause: error });
  }
}

/** The token of a file, read at start (so a missing file fails fast) and again once stale. */
function fileToken(file: string, source: string, options: ConnectionOptions): TokenSource {
  const now = options.now ?? Date.now;
  const refreshMs = options.tokenRefreshMs ?? 60_000;
  let token = readToken(file, source);
  let readAt = now();
  return () => {
    if (now() - readAt < refreshMs) return token;
    readAt = now();
    try {
      token = readToken(file, source);
    } catch {
      // The kubelet replaces the file atomically, so a failed read is transient: keep the last
      // token (still valid for its remaining lifetime, at least 10 min for projected tokens).
    }
    return token;
  };
}

/**
 * One secure context for all connections. Passing ca/cert/key instead builds a context per
 * connection, and each exec opens one: RSS grew by 4 MiB per 100 connections that way (native
 * memory the allocator keeps), and stays flat with a shared context (measured).
 */
function tlsOf(config: ConnectionConfig): ConnectionTls {
  let secureContext: SecureContext;
  try {
    secureContext = createSecureContext({
      ...(config.ca === undefined ? {} : { ca: config.ca }),
      ...(config.clientCert === undefined ? {} : { cert: config.clientCert }),
      ...(config.clientKey === undefined ? {} : { key: config.clientKey }),
    });
  } catch (error) {
    throw new OperatorError(ErrorCodes.KUBE_CONFIG, `${config.source}: the client certificate or key is not usable PEM`, { cause: error });
  }
  return {
    secureContext,
    rejectUnauthorized: config.insecureSkipTlsVerify !== true,
    ...(config.tlsServerName === undefined ? {} : { servername: config.tlsServerName }),
  };
}

function urlOf(server: string, request: OpenRequest): URL {
  const url = new URL(server + request.path);
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
}

const USER_AGENT = 'opengauss-operator';

export function createConnection(config: ConnectionConfig, options: ConnectionOptions = {}): KubeConnection {
  if (!config.server.startsWith('https://')) {
    throw new OperatorError(ErrorCodes.KUBE_CONFIG, `${config.source}: server ${config.server} is not an https:// URL; the operator connects over TLS only`);
  }
  const tls = tlsOf(config);
  const token: TokenSource = config.tokenFile !== undefined ? fileToken(config.tokenFile, config.source, options) : () => config.token;
  // TCP keep-alive probes after 30 s idle, as client-go: below common load-balancer idle timeouts,
  // so a silent watch connection is not dropped by a middlebox without either side noticing.
  const agent = new Agent({ keepAlive: true, keepAliveMsecs: 30_000, ...tls });
  const authHeaders = (): Record<string, string> => {
    const current = token();
    return current === undefined || current === '' ? {} : { Authorization: `Bearer ${current}` };
  };
  return {
    server: config.server,
    tls,
    open: (spec) => request(urlOf(config.server, spec), {
      method: spec.method, agent, headers: { 'User-Agent': USER_AGENT, ...spec.headers, ...authHeaders() },
    }),
    authHeaders,
    close: () => agent.destroy(),
  };
}
