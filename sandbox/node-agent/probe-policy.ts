// Probe semantics (reference 3.3): Kubernetes defaults, and how consecutive results turn into a
// verdict through successThreshold and failureThreshold. Pure; probe-runner.ts does the I/O.
import type { V1Probe } from '@kubernetes/client-node';

export type ProbeSettings = {
  readonly initialDelayMs: number;
  readonly periodMs: number;
  readonly timeoutMs: number;
  readonly successThreshold: number;
  readonly failureThreshold: number;
};

export function probeSettings(probe: V1Probe): ProbeSettings {
  return {
    initialDelayMs: (probe.initialDelaySeconds ?? 0) * 1000,
    periodMs: Math.max(1, probe.periodSeconds ?? 10) * 1000,
    timeoutMs: Math.max(1, probe.timeoutSeconds ?? 1) * 1000,
    successThreshold: Math.max(1, probe.successThreshold ?? 1),
    failureThreshold: Math.max(1, probe.failureThreshold ?? 3),
  };
}

export type ProbeVerdict = 'unknown' | 'success' | 'failure';

export type ProbeTally = { readonly verdict: ProbeVerdict; readonly successes: number; readonly failures: number };

export const initialTally: ProbeTally = { verdict: 'unknown', successes: 0, failures: 0 };

/** Applies one probe result; the verdict flips only when a threshold is reached. */
export function tallyProbe(tally: ProbeTally, success: boolean, settings: ProbeSettings): ProbeTally {
  if (success) {
    const successes = tally.successes + 1;
    return { verdict: successes >= settings.successThreshold ? 'success' : tally.verdict, successes, failures: 0 };
  }
  const failures = tally.failures + 1;
  return { verdict: failures >= settings.failureThreshold ? 'failure' : tally.verdict, successes: 0, failures };
}

export type ProbeAction =
  | { readonly kind: 'tcp'; readonly port: number; readonly host?: string }
  | { readonly kind: 'http'; readonly port: number; readonly host?: string; readonly path: string; readonly scheme: 'HTTP' | 'HTTPS'; readonly headers: readonly (readonly [string, string])[] }
  | { readonly kind: 'exec'; readonly command: readonly string[] }
  | { readonly kind: 'unsupported'; readonly message: string };

/** Resolves a named port against the container's declared ports. */
function resolvePort(port: number | string, ports: readonly { name?: string; containerPort: number }[]): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return ports.find((p) => p.name === port)?.containerPort;
}

export function probeAction(probe: V1Probe, ports: readonly { name?: string; containerPort: number }[]): ProbeAction {
  if (probe.exec) return { kind: 'exec', command: probe.exec.command ?? [] };
  const socket = probe.tcpSocket ?? probe.httpGet;
  if (socket === undefined) return { kind: 'unsupported', message: 'only tcpSocket, httpGet and exec probes are supported in the sandbox' };
  const port = resolvePort(socket.port, ports);
  if (port === undefined) return { kind: 'unsupported', message: `probe port ${String(socket.port)} is not declared by the container` };
  const host = socket.host ? { host: socket.host } : {};
  if (probe.tcpSocket) return { kind: 'tcp', port, ...host };
  const http = probe.httpGet;
  return {
    kind: 'http', port, ...host, path: http?.path ?? '/', scheme: http?.scheme === 'HTTPS' ? 'HTTPS' : 'HTTP',
    headers: (http?.httpHeaders ?? []).map((h) => [h.name, h.value] as const),
  };
}
