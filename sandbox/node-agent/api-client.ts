// A small HTTPS client for the apiserver, built from a kubeconfig with embedded credentials.
// The agent needs a handful of verbs and a streaming watch with an idle timeout (reference 4.3),
// which node:https gives directly without client-node's watch pitfalls.
import { Agent, request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export class ApiError extends Error {
  readonly code = 'SBX_ERR_KUBE_API';
  readonly status: number;
  readonly reason: string;

  constructor(method: string, path: string, status: number, reason: string, message: string) {
    super(`${method} ${path.split('?')[0] ?? path}: ${String(status)} ${reason}: ${message}`);
    this.name = 'ApiError';
    this.status = status;
    this.reason = reason;
  }
}

export type ApiResponse = { readonly status: number; readonly body: unknown };

export type RequestOptions = { readonly body?: unknown; readonly contentType?: string; readonly timeoutMs?: number; readonly allow404?: boolean };

export type ApiClient = {
  readonly server: string;
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
  /** Streams a watch: resolves when the server ends it, rejects on errors and idle timeouts. */
  watch(path: string, onLine: (line: string) => void, options: { idleMs: number; signal: AbortSignal }): Promise<void>;
  close(): void;
};

type KubeconfigUser = { 'client-certificate-data'?: string; 'client-key-data'?: string; token?: string };
type Kubeconfig = {
  clusters?: { cluster?: { server?: string; 'certificate-authority-data'?: string } }[];
  users?: { user?: KubeconfigUser }[];
};

const decode = (b64: string | undefined): string | undefined => (b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString('utf8'));

function statusOf(body: unknown): { reason: string; message: string } {
  const s = body as { reason?: unknown; message?: unknown } | undefined;
  return { reason: typeof s?.reason === 'string' ? s.reason : 'Unknown', message: typeof s?.message === 'string' ? s.message : '' };
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

export function createApiClient(kubeconfigPath: string): ApiClient {
  const config = parse(readFileSync(kubeconfigPath, 'utf8')) as Kubeconfig;
  const cluster = config.clusters?.[0]?.cluster;
  const user = config.users?.[0]?.user ?? {};
  if (cluster?.server === undefined) throw new Error(`kubeconfig ${kubeconfigPath} names no server`);
  const server = cluster.server;
  const ca = decode(cluster['certificate-authority-data']);
  const cert = decode(user['client-certificate-data']);
  const key = decode(user['client-key-data']);
  const agent = new Agent({ keepAlive: true, maxSockets: 16, ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) });
  const auth: Record<string, string> = user.token ? { authorization: `Bearer ${user.token}` } : {};

  function send(method: string, path: string, options: RequestOptions): Promise<IncomingMessage> {
    const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    return new Promise((resolve, reject) => {
      const req = httpsRequest(new URL(path, server), {
        method, agent,
        headers: { ...auth, accept: 'application/json', ...(payload ? { 'content-type': options.contentType ?? 'application/json', 'content-length': String(payload.length) } : {}) },
      }, resolve);
      req.setTimeout(options.timeoutMs ?? 15_000, () => {
        const err = new Error(`${method} ${path.split('?')[0] ?? ''} timed out`);
        err.name = 'TimeoutError';
        req.destroy(err);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  async function requestJson(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const res = await send(method, path, options);
    const text = await readBody(res);
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return { status, body };
    if (status === 404 && options.allow404 === true) return { status, body: undefined };
    const s = statusOf(body);
    throw new ApiError(method, path, status, s.reason, s.message || text.slice(0, 200));
  }

  async function watch(path: string, onLine: (line: string) => void, options: { idleMs: number; signal: AbortSignal }): Promise<void> {
    const res = await send('GET', path, { timeoutMs: options.idleMs });
    if ((res.statusCode ?? 0) !== 200) {
      const text = await readBody(res);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const s = statusOf(body);
      throw new ApiError('GET', path, res.statusCode ?? 0, s.reason, s.message);
    }
    const abort = (): void => void res.destroy();
    await new Promise<void>((resolve, reject) => {
      let pending = '';
      let failed: Error | undefined;
      options.signal.addEventListener('abort', abort, { once: true });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        pending += chunk;
        let newline = pending.indexOf('\n');
        while (newline !== -1 && failed === undefined) {
          const line = pending.slice(0, newline);
          pending = pending.slice(newline + 1);
          // A handler that throws ends this watch with its error instead of crashing the agent.
          try {
            if (line.trim() !== '') onLine(line);
          } catch (err) {
            failed = err instanceof Error ? err : new Error(String(err));
            res.destroy();
          }
          newline = pending.indexOf('\n');
        }
      });
      // A destroyed socket (idle timeout, abort) closes without `end`: the caller reconnects.
      res.on('close', () => (failed === undefined ? resolve() : reject(failed)));
      // An idle timeout or an abort is a normal end of this watch, not a failure.
      res.on('error', (err) => (failed ??= options.signal.aborted || err.name === 'TimeoutError' ? undefined : err));
    }).finally(() => options.signal.removeEventListener('abort', abort));
  }

  return { server, request: requestJson, watch, close: () => agent.destroy() };
}
