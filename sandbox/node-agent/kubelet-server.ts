// The kubelet HTTPS API the apiserver calls for `kubectl exec` and `kubectl logs` (reference
// 3.4), on the node's own loopback address. Clients authenticate with a certificate of the
// cluster CA (kubelet-auth.ts). Every malformed request gets an HTTP error; no request can crash
// the agent.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { negotiateProtocol } from './channel-protocol.ts';
import { runExecSession } from './exec-session.ts';
import { authorizeKubeletRequest, peerOf } from './kubelet-auth.ts';
import { parseExecRequest, parseLogRequest } from './kubelet-requests.ts';
import { serveLogs } from './log-stream.ts';
import type { Logger } from './log.ts';
import { locateContainer, type PodDirectory } from './pod-directory.ts';
import { assertSandboxAddress } from '../address-guard.ts';

export type KubeletServerOptions = {
  readonly host: string;
  readonly port: number;
  readonly cert: string;
  readonly key: string;
  /** The cluster CA: client certificates it signed authenticate. */
  readonly clientCa: string;
  readonly pods: PodDirectory;
  readonly isolate: boolean;
  readonly log: Logger;
};

function reply(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'text/plain' }).end(message);
}

function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  const reasons: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 501: 'Not Implemented' };
  const reason = reasons[status] ?? 'Bad Request';
  socket.end(`HTTP/1.1 ${String(status)} ${reason}\r\ncontent-type: text/plain\r\ncontent-length: ${String(Buffer.byteLength(message))}\r\nconnection: close\r\n\r\n${message}`);
}

function route(path: string): string {
  return path.split('/')[1] ?? '';
}

function handleRequest(options: KubeletServerOptions, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'https://kubelet');
  const access = authorizeKubeletRequest(peerOf(req.socket as TLSSocket), route(url.pathname), req.method ?? 'GET');
  if (!access.ok) return reply(res, access.status, access.message);
  switch (route(url.pathname)) {
    case 'healthz':
      return reply(res, 200, 'ok');
    case 'containerLogs': {
      if (req.method !== 'GET') return reply(res, 405, 'containerLogs only supports GET');
      const parsed = parseLogRequest(url, Date.now());
      if (!parsed.ok) return reply(res, parsed.status, parsed.message);
      const found = locateContainer(options.pods, parsed.value);
      if (!found.ok) return reply(res, found.status, found.message);
      return serveLogs(found, parsed.value, res);
    }
    case 'exec':
      return reply(res, 400, 'exec needs a WebSocket upgrade (v5.channel.k8s.io or v4.channel.k8s.io); SPDY is not supported');
    case 'attach':
    case 'portForward':
    case 'run':
      return reply(res, 501, `${route(url.pathname)} is not implemented by the sandbox node agent`);
    default:
      return reply(res, 404, `no handler for ${url.pathname}`);
  }
}

function handleUpgrade(options: KubeletServerOptions, wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const url = new URL(req.url ?? '/', 'https://kubelet');
  const access = authorizeKubeletRequest(peerOf(req.socket as TLSSocket), route(url.pathname), req.method ?? 'GET');
  if (!access.ok) return rejectUpgrade(socket, access.status, access.message);
  if (route(url.pathname) !== 'exec') return rejectUpgrade(socket, route(url.pathname) === 'portForward' || route(url.pathname) === 'attach' ? 501 : 404, `no WebSocket handler for ${url.pathname}`);
  const parsed = parseExecRequest(url);
  if (!parsed.ok) return rejectUpgrade(socket, parsed.status, parsed.message);
  const protocol = negotiateProtocol((req.headers['sec-websocket-protocol'] ?? '').split(','));
  if (protocol === undefined) return rejectUpgrade(socket, 400, 'no supported channel protocol offered (v5.channel.k8s.io, v4.channel.k8s.io)');
  const found = locateContainer(options.pods, parsed.value);
  if (!found.ok) return rejectUpgrade(socket, found.status, found.message);
  const target = found.worker.execTarget(found.slot);
  if (target === undefined) return rejectUpgrade(socket, 400, `container not found ("${found.slot.spec.name}"): it is not running`);
  wss.handleUpgrade(req, socket, head, (ws) => runExecSession(ws, protocol, parsed.value, target, { isolate: options.isolate, log: options.log }));
}

export function startKubeletServer(options: KubeletServerOptions): Promise<Server> {
  assertSandboxAddress(options.host, 'listen on');
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => negotiateProtocol(offered) ?? false });
  // Certificates are asked for but not required at the TLS layer, so a request without one gets an
  // HTTP 401 that says why rather than a failed handshake.
  const tls = { cert: options.cert, key: options.key, ca: options.clientCa, requestCert: true, rejectUnauthorized: false };
  const server = createServer(tls, (req, res) => {
    try {
      handleRequest(options, req, res);
    } catch (err) {
      options.log.error({ err, url: req.url }, 'kubelet API request failed');
      reply(res, 500, 'internal error');
    }
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    try {
      handleUpgrade(options, wss, req, socket, head);
    } catch (err) {
      options.log.error({ err, url: req.url }, 'kubelet API upgrade failed');
      rejectUpgrade(socket, 500, 'internal error');
    }
  });
  server.on('tlsClientError', () => undefined);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
