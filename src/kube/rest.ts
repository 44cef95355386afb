// One JSON request to the API server over the connection's pool and credentials. Failures leave
// as KubeApiError: the HTTP status and Status reason, never the body or headers in the message;
// no answer at all (refused, reset, TLS, a stalled socket) is a retryable Unreachable.
import type { IncomingMessage } from 'node:http';
import type { KubeConnection, OpenRequest } from './connection.ts';
import { KubeApiError, KubeReason, kubeApiErrorFromStatus, toKubeApiError } from './kube-api-error.ts';

export type RestRequest = OpenRequest & {
  /** Sent as JSON (Dates become RFC 3339 strings). */
  readonly body?: unknown;
  /** Content type of the body: JSON unless a patch says otherwise. */
  readonly contentType?: string;
  /** For the error message: what was attempted (`apply`) on what (`configmaps ns/x`). */
  readonly operation: string;
  readonly target: string;
};

/** Resolves with the parsed response body (undefined when empty). */
export type Rest = (request: RestRequest) => Promise<unknown>;

export type RestOptions = {
  /** A request whose socket stays silent this long fails (retryable); the API server answers in well under it. */
  readonly socketTimeoutMs?: number;
};

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}

function parseBody(text: string, request: RestRequest, status: number): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new KubeApiError({ operation: request.operation, target: request.target, status, reason: KubeReason.Unknown, cause: error });
  }
}

function exchange(connection: KubeConnection, request: RestRequest, timeoutMs: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    // Content-Length explicitly: node:http frames a DELETE body with neither it nor chunking.
    const framing = body === undefined ? {} : { 'Content-Type': request.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(body) };
    const req = connection.open({ ...request, headers: { Accept: 'application/json', ...framing } });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no data from the API server for ${timeoutMs} ms`)));
    req.on('error', reject);
    req.on('response', (response) => {
      readBody(response).then((text) => resolve({ status: response.statusCode ?? 0, text }), reject);
    });
    req.end(body);
  });
}

export function createRest(connection: KubeConnection, options: RestOptions = {}): Rest {
  const timeoutMs = options.socketTimeoutMs ?? 60_000;
  return async (request) => {
    let answer: { status: number; text: string };
    try {
      answer = await exchange(connection, request, timeoutMs);
    } catch (error) {
      // No complete HTTP answer: nothing from the server to leak; keep the cause.
      throw toKubeApiError(error, request.operation, request.target);
    }
    if (answer.status < 200 || answer.status > 299) throw kubeApiErrorFromStatus(request.operation, request.target, answer.status, answer.text);
    return parseBody(answer.text, request, answer.status);
  };
}
