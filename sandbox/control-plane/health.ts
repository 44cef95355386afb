// Health endpoints of the components, polled until ready with a deadline. A component that
// died while we wait fails at once with its log tail instead of waiting out the deadline.
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { HarnessError, HarnessErrorCodes } from '../harness-error.ts';
import { pause } from './interrupt.ts';
import { isAlive, logTail, type RecordedProcess } from './processes.ts';

export type TlsClient = { readonly ca?: string; readonly cert?: string; readonly key?: string; readonly insecure?: boolean };
export type HttpResult = { readonly status: number; readonly body: string };

export function httpGet(url: string, tls: TlsClient = {}, timeoutMs = 3000): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const parsed = new URL(url);
    const options = { timeout: timeoutMs, ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: tls.insecure !== true };
    const req = (parsed.protocol === 'https:' ? httpsRequest : httpRequest)(parsed, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export type WaitSpec = {
  readonly what: string; readonly proc: RecordedProcess; readonly deadlineMs: number; readonly check: () => Promise<boolean>;
  /** Ctrl-C or SIGTERM during start-up: stop waiting at once. */
  readonly signal?: AbortSignal | undefined;
};

export async function waitUntilReady(spec: WaitSpec): Promise<void> {
  const deadline = Date.now() + spec.deadlineMs;
  while (Date.now() < deadline) {
    spec.signal?.throwIfAborted();
    // By PID, not by command line: the child we just spawned may not have exec'd its binary yet
    // (its cmdline is still node's), and a script's cmdline names its interpreter; either would
    // read as "exited" before the process wrote a line of its log.
    if (!isAlive(spec.proc.pid)) {
      throw new HarnessError(HarnessErrorCodes.START_FAILED, `${spec.proc.name} exited while waiting for ${spec.what}; log ${spec.proc.logPath}:\n${logTail(spec.proc.logPath)}`);
    }
    if (await spec.check().catch(() => false)) return;
    await pause(200, spec.signal);
  }
  throw new HarnessError(HarnessErrorCodes.NOT_READY, `${spec.what} not ready after ${spec.deadlineMs / 1000} s; log ${spec.proc.logPath}:\n${logTail(spec.proc.logPath)}`);
}
