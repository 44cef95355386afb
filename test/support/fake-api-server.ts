// An HTTPS server standing in for the API server in unit tests of the operator's own REST client
// and watch transport: it records every request (method, path, query, headers, body, client
// certificate CN) and answers through the handler the test installs. Certificates come from the
// sandbox PKI helpers (openssl): a CA, a serving certificate for 127.0.0.1 and a client certificate.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { ensureCertificateAuthority, issueCertificate } from '../../sandbox/control-plane/pki.ts';

export type RecordedRequest = {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** CN of the client certificate, when one was presented. */
  readonly clientCn: string | undefined;
};

export type Handler = (request: RecordedRequest, response: ServerResponse) => void;

export type FakeApiServer = {
  readonly url: string;
  /** The HTTPS server itself, e.g. to attach a WebSocket server for pods/exec. */
  readonly server: Server;
  readonly ca: Buffer;
  readonly clientCert: Buffer;
  readonly clientKey: Buffer;
  readonly requests: RecordedRequest[];
  /** Replaces the handler; the default answers 404 with a Status body. */
  handle(handler: Handler): void;
  close(): Promise<void>;
};

/** Sends `body` as JSON with `status`. */
export function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

export function status(code: number, reason: string, message = ''): object {
  return { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message };
}

const notFound: Handler = (_request, response) => json(response, 404, status(404, 'NotFound'));

function record(request: IncomingMessage, body: string): RecordedRequest {
  const url = new URL(request.url ?? '/', 'https://fake');
  // null or {} when the client presented no certificate
  const peer = (request.socket as TLSSocket).getPeerCertificate() as Partial<ReturnType<TLSSocket['getPeerCertificate']>> | null;
  const cn = peer?.subject?.CN;
  return { method: request.method ?? '', path: url.pathname, query: url.searchParams, headers: request.headers, body, clientCn: typeof cn === 'string' ? cn : undefined };
}

export async function startFakeApiServer(): Promise<FakeApiServer> {
  const dir = await mkdtemp(join(tmpdir(), 'ogo-fake-api-'));
  const ca = await ensureCertificateAuthority(dir);
  const serving = await issueCertificate(dir, { name: 'server', commonName: 'fake-apiserver', ipAddresses: ['127.0.0.1'], usage: 'server' });
  const client = await issueCertificate(dir, { name: 'client', commonName: 'fake-user', usage: 'client' });
  const requests: RecordedRequest[] = [];
  let handler: Handler = notFound;
  const server: Server = createServer({
    cert: await readFile(serving.certPath), key: await readFile(serving.keyPath), ca: await readFile(ca.certPath),
    requestCert: true, rejectUnauthorized: false,
  }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded = record(request, Buffer.concat(chunks).toString('utf8'));
      requests.push(recorded);
      handler(recorded, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    server,
    ca: await readFile(ca.certPath),
    clientCert: await readFile(client.certPath),
    clientKey: await readFile(client.keyPath),
    requests,
    handle(next) { handler = next; },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
