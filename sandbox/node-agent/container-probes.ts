// Wires a container's startup, readiness and liveness probes to its slot: startup gates the
// other two and sets `started`; readiness sets `ready`; liveness failure restarts the container.
import type { V1Probe } from '@kubernetes/client-node';
import type { AgentContext } from './agent-context.ts';
import type { Slot } from './container-slot.ts';
import { execForStatus, type ExecTarget } from './exec-process.ts';
import { probeAction } from './probe-policy.ts';
import { runProbeOnce, startProbeLoop, type ProbeKind, type ProbeLoop } from './probe-runner.ts';

export type ProbeCallbacks = {
  readonly onChange: () => void;
  readonly onStarted: () => void;
  readonly onLivenessFailure: (message: string) => void;
};

export function startContainerProbes(ctx: AgentContext, slot: Slot, target: () => ExecTarget | undefined, podIp: string, cb: ProbeCallbacks): ProbeLoop[] {
  const ports = (slot.spec.ports ?? []).map((p) => ({ containerPort: p.containerPort, ...(p.name ? { name: p.name } : {}) }));
  const loops: ProbeLoop[] = [];
  const start = (kind: ProbeKind, probe: V1Probe, onVerdict: (ok: boolean) => void): void => {
    const action = probeAction(probe, ports);
    const run = (): Promise<boolean> => runProbeOnce(action, podIp, (probe.timeoutSeconds ?? 1) * 1000, (command, timeoutMs) => {
      const t = target();
      return t === undefined ? Promise.resolve(-1) : execForStatus(t, command, ctx.isolate, timeoutMs);
    });
    loops.push(startProbeLoop(kind, probe, action, run, (verdict) => onVerdict(verdict === 'success')));
  };
  const startMain = (): void => {
    const readiness = slot.spec.readinessProbe;
    if (readiness) start('readiness', readiness, (ok) => {
      if (slot.record.ready === ok || slot.proc === undefined) return;
      slot.record = { ...slot.record, ready: ok };
      cb.onChange();
    });
    const liveness = slot.spec.livenessProbe;
    if (liveness) start('liveness', liveness, (ok) => {
      if (!ok && slot.proc !== undefined) cb.onLivenessFailure('liveness probe');
    });
  };
  const startup = slot.spec.startupProbe;
  if (startup === undefined) {
    startMain();
    return loops;
  }
  start('startup', startup, (ok) => {
    if (ok && !slot.record.started) {
      slot.record = { ...slot.record, started: true };
      loops.splice(0).forEach((l) => l.stop());
      startMain();
      cb.onChange();
      cb.onStarted();
    } else if (!ok && slot.proc !== undefined) {
      cb.onLivenessFailure('startup probe');
    }
  });
  return loops;
}
