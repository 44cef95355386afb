// Runs one probe of a container on its period: TCP connect, HTTP GET (2xx/3xx) or an exec that
// must exit 0. Every dial passes the sandbox address guard first; a probe aimed elsewhere fails.
import { connect } from 'node:net';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { assertSandboxAddress } from '../address-guard.ts';
import { initialTally, probeSettings, tallyProbe, type ProbeAction, type ProbeVerdict } from './probe-policy.ts';
import type { V1Probe } from '@kubernetes/client-node';

export type ExecProbe = (command: readonly string[], timeoutMs: number) => Promise<number>;

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<boolean> {
  assertSandboxAddress(host, 'probe');
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

function httpProbe(action: Extract<ProbeAction, { kind: 'http' }>, host: string, timeoutMs: number): Promise<boolean> {
  assertSandboxAddress(host, 'probe');
  const send = action.scheme === 'HTTPS' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send({
      host, port: action.port, path: action.path, method: 'GET', timeout: timeoutMs, rejectUnauthorized: false,
      headers: Object.fromEntries([['user-agent', 'kube-probe/1.36'], ...action.headers]),
    }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(status >= 200 && status < 400);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
    req.end();
  });
}

export async function runProbeOnce(action: ProbeAction, podIp: string, timeoutMs: number, exec: ExecProbe): Promise<boolean> {
  try {
    switch (action.kind) {
      case 'tcp':
        return await tcpProbe(action.host ?? podIp, action.port, timeoutMs);
      case 'http':
        return await httpProbe(action, action.host ?? podIp, timeoutMs);
      case 'exec':
        return (await exec(action.command, timeoutMs)) === 0;
      case 'unsupported':
        return false;
    }
  } catch {
    return false;
  }
}

export type ProbeKind = 'startup' | 'readiness' | 'liveness';

export type ProbeLoop = {
  readonly kind: ProbeKind;
  stop(): void;
  /**
   * Probes now, off the period, as the kubelet does for a readiness probe that has not succeeded
   * when it syncs the Pod (an update from the API, such as a label change): a no-op during the
   * initial delay or while a probe is in flight. The periodic schedule is unchanged.
   */
  trigger(): void;
};

/** Calls `onVerdict` whenever the thresholded verdict changes. */
export function startProbeLoop(kind: ProbeKind, probe: V1Probe, action: ProbeAction, run: () => Promise<boolean>, onVerdict: (v: ProbeVerdict) => void): ProbeLoop {
  const settings = probeSettings(probe);
  let tally = initialTally;
  let stopped = false;
  let delayOver = false;
  let inFlight = false;
  let timer: NodeJS.Timeout | undefined;
  const probeOnce = async (): Promise<void> => {
    inFlight = true;
    try {
      const ok = action.kind === 'unsupported' ? false : await run();
      if (stopped) return;
      const next = tallyProbe(tally, ok, settings);
      const changed = next.verdict !== tally.verdict;
      tally = next;
      if (changed) onVerdict(next.verdict);
    } finally {
      inFlight = false;
    }
  };
  const tick = async (): Promise<void> => {
    if (stopped) return;
    delayOver = true;
    // A triggered probe still in flight stands for this tick's.
    if (!inFlight) await probeOnce();
    if (!stopped) timer = setTimeout(() => void tick(), settings.periodMs);
  };
  timer = setTimeout(() => void tick(), settings.initialDelayMs);
  return {
    kind,
    stop: () => { stopped = true; clearTimeout(timer); },
    trigger: () => { if (!stopped && delayOver && !inFlight) void probeOnce(); },
  };
}
