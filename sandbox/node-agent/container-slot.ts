// The mutable runtime state of one container of a Pod, and the pure decisions about it: what a
// new termination means (restart now, back off, or stay terminated), and how it is saved.
import type { V1Container, V1PodSpec } from '@kubernetes/client-node';
import { exitReason, waitingRecord, type ContainerRecord, type Terminated } from './container-record.ts';
import type { LogCollector } from './log-collector.ts';
import type { SavedContainer } from './pod-state-store.ts';
import type { ProbeLoop } from './probe-runner.ts';
import type { ContainerProcess } from './processes.ts';
import type { ProcessPlan } from './process-plan.ts';
import { nextCrashCount, restartDelayMs, shouldRestart, type RestartPolicy } from './restart-policy.ts';

export type SlotKind = 'init' | 'sidecar' | 'app';

export type Slot = {
  readonly spec: V1Container;
  readonly kind: SlotKind;
  record: ContainerRecord;
  /** Times started; the current or last instance is `runs - 1`. */
  runs: number;
  crashes: number;
  notBeforeMs: number;
  /** Terminated for good (no restart will follow). */
  final: boolean;
  /** Attempts that failed before a process existed (image, config), for their back-off. */
  setupFailures: number;
  startedAtMs?: number | undefined;
  proc?: ContainerProcess | undefined;
  plan?: ProcessPlan | undefined;
  collector?: LogCollector | undefined;
  probes: ProbeLoop[];
};

export function slotsFor(spec: V1PodSpec): Slot[] {
  const slot = (c: V1Container, kind: SlotKind): Slot => ({
    spec: c, kind, record: waitingRecord(c.name, c.image ?? ''), runs: 0, crashes: 0, notBeforeMs: 0, final: false, setupFailures: 0, probes: [],
  });
  return [
    ...(spec.initContainers ?? []).map((c) => slot(c, c.restartPolicy === 'Always' ? 'sidecar' : 'init')),
    ...spec.containers.map((c) => slot(c, 'app')),
  ];
}

export function isCompletedInit(slot: Slot): boolean {
  return slot.kind === 'init' && slot.record.state.kind === 'terminated' && slot.record.state.exitCode === 0;
}

/** Whether a terminated container comes back (pod-level terminal state stops sidecars). */
export function decideRestart(slot: Slot, policy: RestartPolicy, exitCode: number, podTerminal: boolean): boolean {
  switch (slot.kind) {
    case 'init':
      return exitCode !== 0 && policy !== 'Never';
    case 'sidecar':
      return !podTerminal;
    case 'app':
      return shouldRestart(policy, exitCode);
  }
}

export type ExitFacts = { readonly exitCode: number; readonly signal?: number; readonly reason?: string; readonly message?: string; readonly nowMs: number };

/** Applies a termination to the slot: terminated state, or back-off towards a restart. */
export function applyExit(slot: Slot, facts: ExitFacts, restart: boolean, podRef: string): Terminated {
  const startedAt = slot.record.state.kind === 'running' ? slot.record.state.startedAt : new Date(facts.nowMs).toISOString();
  const terminated: Terminated = {
    exitCode: facts.exitCode, ...(facts.signal !== undefined ? { signal: facts.signal } : {}), reason: facts.reason ?? exitReason(facts.exitCode),
    ...(facts.message !== undefined ? { message: facts.message } : {}), startedAt: startedAt.replace(/\.\d{3}Z$/, 'Z'),
    finishedAt: new Date(facts.nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z'), containerId: slot.record.containerId ?? '',
  };
  const ranForMs = slot.startedAtMs === undefined ? 0 : facts.nowMs - slot.startedAtMs;
  slot.final = !restart;
  if (!restart) {
    slot.record = { ...slot.record, state: { kind: 'terminated', ...terminated }, ready: false, started: false };
    return terminated;
  }
  slot.crashes = nextCrashCount(slot.crashes, ranForMs);
  const delay = restartDelayMs(slot.crashes);
  slot.notBeforeMs = facts.nowMs + delay;
  const state = delay > 0
    ? { kind: 'waiting' as const, reason: 'CrashLoopBackOff', message: `back-off ${String(delay / 1000)}s restarting failed container=${slot.spec.name} pod=${podRef}` }
    : { kind: 'terminated' as const, ...terminated };
  slot.record = { ...slot.record, state, lastState: terminated, ready: false, started: false };
  return terminated;
}

export function saveSlot(slot: Slot): SavedContainer {
  return {
    runs: slot.runs, final: slot.final, restartCount: slot.record.restartCount, crashes: slot.crashes, state: slot.record.state, imageId: slot.record.imageId,
    ...(slot.record.lastState ? { lastState: slot.record.lastState } : {}),
    ...(slot.record.containerId ? { containerId: slot.record.containerId } : {}),
    ...(slot.proc ? { pid: slot.proc.pid, startTicks: slot.proc.startTicks } : {}),
  };
}

/** Restores saved counters and states into a fresh slot (the process is adopted separately). */
export function restoreSlot(slot: Slot, saved: SavedContainer): void {
  slot.runs = saved.runs;
  slot.crashes = saved.crashes;
  slot.record = {
    ...slot.record, restartCount: saved.restartCount, state: saved.state, imageId: saved.imageId,
    ...(saved.lastState ? { lastState: saved.lastState } : {}), ...(saved.containerId ? { containerId: saved.containerId } : {}),
  };
  slot.final = saved.final;
}
