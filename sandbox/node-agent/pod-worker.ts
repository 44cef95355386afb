// Runs one Pod bound to this node (reference 3.3): address, volumes, init containers in order,
// then containers with restarts and probes, status kept true, graceful termination. Level
// triggered: every change (watch update, process exit, probe verdict, timer) re-runs one
// serialised `reconcile`, which looks at the slots and takes the next step.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import type { AgentContext } from './agent-context.ts';
import { applyExit, decideRestart, isCompletedInit, restoreSlot, saveSlot, slotsFor, type Slot } from './container-slot.ts';
import { exitCodeOf } from './container-record.ts';
import { prepareContainer } from './container-prepare.ts';
import { renderContainerLaunch } from './launch-command.ts';
import { logFilesFor, startLogCollector } from './log-collector.ts';
import type { SavedPod } from './pod-state-store.ts';
import { derivePhase, type PodView } from './pod-status.ts';
import { adoptProcess, signalGroup, signalNumbers, spawnContainerProcess, type ProcessExit } from './processes.ts';
import { parseRestartPolicy } from './restart-policy.ts';
import { planVolumes } from './volume-plan.ts';
import { setUpVolumes, type VolumeDir } from './volume-setup.ts';
import { createStatusPublisher, type StatusPublisher } from './status-publisher.ts';
import { startContainerProbes } from './container-probes.ts';
import { execForStatus, type ExecTarget } from './exec-process.ts';

const retryMs = { sandbox: 3_000, volumesRefresh: 30_000, setupMaxMs: 30_000 } as const;

export class PodWorker {
  pod: V1Pod;
  readonly uid: string;
  readonly slots: Slot[];
  private readonly ctx: AgentContext;
  private readonly publisher: StatusPublisher;
  private readonly startTime: string;
  private podIp: string | undefined;
  private problem: { reason: string; message: string } | undefined;
  private volumes: Map<string, VolumeDir> | undefined;
  private volumesRefreshedMs = 0;
  private readonly tokens = new Map<string, { token: string; refreshAtMs: number }>();
  private busy = false;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAtMs = 0;
  private terminating: Promise<void> | undefined;
  private closed = false;

  constructor(ctx: AgentContext, pod: V1Pod, saved?: SavedPod) {
    this.ctx = ctx;
    this.pod = pod;
    this.uid = pod.metadata?.uid ?? '';
    this.slots = slotsFor(pod.spec ?? { containers: [] });
    this.startTime = saved?.startTime ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    this.publisher = createStatusPublisher(ctx, () => this.pod, () => this.view());
    if (saved !== undefined) this.restore(saved);
  }

  get key(): string {
    return `${this.pod.metadata?.namespace ?? ''}/${this.pod.metadata?.name ?? ''}`;
  }

  private get log(): AgentContext['log'] {
    return this.ctx.log.child({ pod: this.key });
  }

  private get podRef(): string {
    return `${this.pod.metadata?.name ?? ''}_${this.pod.metadata?.namespace ?? ''}(${this.uid})`;
  }

  /** A newer version of the Pod from the watch. */
  update(pod: V1Pod): void {
    const before = this.pod;
    this.pod = pod;
    if (pod.metadata?.deletionTimestamp !== undefined) {
      void this.terminate(pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30, true);
      return;
    }
    if (podsDifferSemantically(before, pod)) this.probeNotReadyNow();
    this.kick();
  }

  /**
   * The kubelet syncs a Pod on every update that is not only status, and a sync runs at once the
   * readiness probe of each container not yet ready: a Pod whose server came up between two
   * periods (a standby built after the first probe) turns Ready when, say, the operator labels it,
   * not a whole period later.
   */
  private probeNotReadyNow(): void {
    for (const slot of this.slots) {
      if (slot.record.ready || slot.proc === undefined) continue;
      for (const loop of slot.probes) if (loop.kind === 'readiness') loop.trigger();
    }
  }

  /** Kills everything at once (a force-deleted Pod, or the agent shutting its pods down). */
  async removeNow(): Promise<void> {
    await this.terminate(0, false);
  }

  isTerminating(): boolean {
    return this.terminating !== undefined;
  }

  kick(): void {
    if (this.closed || this.terminating) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.reconcile();
      } catch (err) {
        this.log.error({ err }, 'pod reconcile failed');
        this.retryAt(Date.now() + retryMs.sandbox);
      }
    } while (this.again && !this.closed && !this.terminating);
    this.busy = false;
    this.persist();
    this.publisher.publish();
  }

  /**
   * One timer serves every pending step (a back-off, a sandbox retry, the volume refresh): it only
   * ever moves earlier, as the reconcile it triggers schedules whatever is still due later.
   */
  private retryAt(whenMs: number): void {
    if (this.timer !== undefined && this.timerAtMs <= whenMs) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAtMs = whenMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, Math.max(0, whenMs - Date.now()));
  }

  private async reconcile(): Promise<void> {
    if (!(await this.ensureSandbox())) return;
    await this.refreshVolumes();
    if (!(await this.runInitContainers())) return;
    const terminal = this.isTerminal();
    for (const slot of this.slots) {
      if (slot.kind === 'app') await this.ensureRunning(slot);
      if (slot.kind === 'sidecar' && terminal && slot.proc) await this.stopSlot(slot, 0);
    }
  }

  private isTerminal(): boolean {
    const phase = derivePhase(this.view());
    return phase === 'Succeeded' || phase === 'Failed';
  }

  private setWaitingAll(reason: string, message: string): void {
    for (const slot of this.slots) {
      if (slot.proc || slot.record.state.kind !== 'waiting') continue;
      slot.record = { ...slot.record, state: { kind: 'waiting', reason, message } };
    }
  }

  /** Address and volumes; false (with a retry scheduled) until both are ready. */
  private async ensureSandbox(): Promise<boolean> {
    if (this.podIp === undefined) {
      const decision = this.ctx.ipam.assign(this.pod);
      if (!decision.ok) {
        if (this.problem?.message !== decision.message) this.ctx.events(this.pod, 'Warning', 'FailedCreatePodSandBox', decision.message);
        this.problem = { reason: 'FailedCreatePodSandBox', message: `${decision.reason}: ${decision.message}` };
        this.setWaitingAll('ContainerCreating', decision.message);
        this.retryAt(Date.now() + retryMs.sandbox);
        return false;
      }
      this.problem = undefined;
      this.podIp = decision.ip;
      this.ctx.network.podStarted(this.networkInfo());
      this.persist();
    }
    if (this.volumes !== undefined) return true;
    try {
      this.volumes = await this.setUpVolumes();
      this.volumesRefreshedMs = Date.now();
      return true;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.ctx.events(this.pod, 'Warning', 'FailedMount', message);
      this.setWaitingAll('ContainerCreating', message);
      this.retryAt(Date.now() + retryMs.sandbox);
      return false;
    }
  }

  private async setUpVolumes(): Promise<Map<string, VolumeDir>> {
    const plan = planVolumes(this.pod.spec?.volumes);
    if (!plan.ok) throw new Error(plan.message);
    const podDir = join(this.ctx.podDataDir, this.uid);
    mkdirSync(podDir, { recursive: true });
    const fsGroup = this.pod.spec?.securityContext?.fsGroup;
    return setUpVolumes({
      api: this.ctx.api, storage: this.ctx.storage, podDir, tokens: this.tokens,
      facts: { pod: this.pod, podIp: this.podIp ?? '', hostIp: this.ctx.hostIp, nodeAllocatable: this.ctx.nodeAllocatable },
      ...(fsGroup !== undefined ? { fsGroup } : {}),
    }, plan.volumes);
  }

  /** ConfigMap, Secret and token files are refreshed while the Pod runs. */
  private async refreshVolumes(): Promise<void> {
    if (Date.now() - this.volumesRefreshedMs < retryMs.volumesRefresh) {
      this.retryAt(this.volumesRefreshedMs + retryMs.volumesRefresh);
      return;
    }
    this.volumesRefreshedMs = Date.now();
    try {
      this.volumes = await this.setUpVolumes();
    } catch (err) {
      this.log.warn({ err }, 'volume refresh failed');
    }
    this.retryAt(Date.now() + retryMs.volumesRefresh);
  }

  /** True once every init container completed; sidecars must be running (and started). */
  private async runInitContainers(): Promise<boolean> {
    for (const slot of this.slots) {
      if (slot.kind === 'app') break;
      if (slot.kind === 'sidecar') {
        await this.ensureRunning(slot);
        if (!slot.proc || !slot.record.started) return false;
        continue;
      }
      if (isCompletedInit(slot)) continue;
      if (slot.final) return false;
      await this.ensureRunning(slot);
      return false;
    }
    return true;
  }

  private async ensureRunning(slot: Slot): Promise<void> {
    if (slot.proc || slot.final) return;
    if (Date.now() < slot.notBeforeMs) {
      this.retryAt(slot.notBeforeMs);
      return;
    }
    await this.startSlot(slot);
  }

  private async startSlot(slot: Slot): Promise<void> {
    const prepared = await prepareContainer(this.ctx, this.pod, slot.spec, this.volumes ?? new Map(), this.podIp ?? '');
    if (!prepared.ok) {
      slot.setupFailures++;
      const reason = prepared.reason === 'ErrImagePull' && slot.setupFailures > 1 ? 'ImagePullBackOff' : prepared.reason;
      if (slot.record.state.kind !== 'waiting' || slot.record.state.reason !== reason) this.ctx.events(this.pod, 'Warning', 'Failed', `Error: ${prepared.message}`);
      slot.record = { ...slot.record, state: { kind: 'waiting', reason, message: prepared.message } };
      slot.notBeforeMs = Date.now() + Math.min(1_000 * 2 ** Math.min(slot.setupFailures - 1, 5), retryMs.setupMaxMs);
      this.retryAt(slot.notBeforeMs);
      return;
    }
    slot.setupFailures = 0;
    slot.plan = prepared.plan;
    const cgroupDir = this.ctx.cgroups.containerDir(this.uid, slot.spec.name);
    if (cgroupDir !== undefined) {
      this.ctx.cgroups.kill(cgroupDir);
      this.ctx.cgroups.ensure(cgroupDir);
    }
    const stageDir = join(this.ctx.podDataDir, this.uid, 'containers', slot.spec.name, 'stage');
    const launch = renderContainerLaunch(prepared.plan, { isolate: this.ctx.isolate, sourceKinds: prepared.sourceKinds, stageDir, ...(cgroupDir ? { cgroupDir } : {}) });
    const instance = slot.runs;
    const logDir = this.logDir(slot.spec.name);
    mkdirSync(logDir, { recursive: true });
    const files = logFilesFor(logDir, instance);
    try {
      const proc = await spawnContainerProcess(launch, files.raw);
      this.onStarted(slot, proc, instance, prepared.imageId);
      slot.collector = startLogCollector(files);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      slot.record = { ...slot.record, state: { kind: 'waiting', reason: 'RunContainerError', message } };
      slot.setupFailures++;
      slot.notBeforeMs = Date.now() + 2_000;
      this.retryAt(slot.notBeforeMs);
    }
  }

  private onStarted(slot: Slot, proc: NonNullable<Slot['proc']>, instance: number, imageId: string): void {
    const now = Date.now();
    slot.proc = proc;
    slot.runs = instance + 1;
    slot.startedAtMs = now;
    slot.record = {
      ...slot.record, imageId, containerId: `sandbox://${this.uid.slice(0, 8)}-${slot.spec.name}-${String(instance)}`,
      restartCount: Math.max(0, instance), state: { kind: 'running', startedAt: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z') },
      ready: slot.spec.readinessProbe === undefined && slot.kind !== 'init', started: slot.spec.startupProbe === undefined,
    };
    this.ctx.events(this.pod, 'Normal', 'Started', `Started container ${slot.spec.name}`);
    this.persist();
    this.watchExit(slot, proc.exited, false);
    this.startProbes(slot);
  }

  private watchExit(slot: Slot, exited: Promise<ProcessExit>, adopted: boolean): void {
    const proc = slot.proc;
    void exited.then((exit) => {
      if (slot.proc !== proc) return;
      this.onExit(slot, exit, adopted);
    });
  }

  private startProbes(slot: Slot): void {
    slot.probes = startContainerProbes(this.ctx, slot, () => this.execTarget(slot), this.podIp ?? '', {
      onChange: () => this.publisher.publish(),
      onStarted: () => this.kick(),
      onLivenessFailure: (message) => {
        this.ctx.events(this.pod, 'Normal', 'Killing', `Container ${slot.spec.name} failed ${message}, will be restarted`);
        void this.stopSlot(slot, this.pod.spec?.terminationGracePeriodSeconds ?? 30);
      },
    });
  }

  private onExit(slot: Slot, exit: ProcessExit, adopted: boolean): void {
    for (const p of slot.probes) p.stop();
    slot.probes = [];
    slot.collector?.stop();
    slot.collector = undefined;
    const cgroupDir = this.ctx.cgroups.containerDir(this.uid, slot.spec.name);
    // Like a container's PID namespace, the main process's exit ends everything it started.
    if (cgroupDir !== undefined) this.ctx.cgroups.kill(cgroupDir);
    slot.proc = undefined;
    const code = adopted ? { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the agent restarted' } : exitCodeOf(exit.code, exit.signal, signalNumbers);
    const facts = { ...code, nowMs: Date.now() };
    const restart = this.terminating === undefined && decideRestart(slot, parseRestartPolicy(this.pod.spec?.restartPolicy), facts.exitCode, this.isTerminalWithout(slot));
    applyExit(slot, facts, restart, this.podRef);
    if (restart && slot.notBeforeMs > Date.now()) this.ctx.events(this.pod, 'Warning', 'BackOff', `Back-off restarting failed container ${slot.spec.name} in pod ${this.podRef}`);
    this.log.info({ container: slot.spec.name, exitCode: facts.exitCode, restart }, 'container exited');
    this.persist();
    this.kick();
    this.publisher.publish();
  }

  /** Whether the pod is terminal once this container stopped; sidecars do not restart then. */
  private isTerminalWithout(slot: Slot): boolean {
    if (slot.kind !== 'sidecar') return false;
    return this.isTerminal();
  }

  /** SIGTERM, the grace period, then SIGKILL of the container's cgroup and process group. */
  private async stopSlot(slot: Slot, graceSeconds: number): Promise<void> {
    const proc = slot.proc;
    if (proc === undefined) return;
    await this.runPreStop(slot, graceSeconds);
    signalGroup(proc.pid, 'SIGTERM');
    const exited = await Promise.race([proc.exited.then(() => true), sleep(graceSeconds * 1000).then(() => false)]);
    if (exited) return;
    const cgroupDir = this.ctx.cgroups.containerDir(this.uid, slot.spec.name);
    if (cgroupDir !== undefined) this.ctx.cgroups.kill(cgroupDir);
    signalGroup(proc.pid, 'SIGKILL');
    await Promise.race([proc.exited, sleep(5_000)]);
  }

  private async runPreStop(slot: Slot, graceSeconds: number): Promise<void> {
    const command = slot.spec.lifecycle?.preStop?.exec?.command;
    const target = this.execTarget(slot);
    if (command === undefined || command.length === 0 || target === undefined || graceSeconds <= 0) return;
    await execForStatus(target, command, this.ctx.isolate, graceSeconds * 1000);
  }

  /** Deletion (reference 3.3): stop every container, release the address, confirm to the API. */
  private terminate(graceSeconds: number, confirm: boolean): Promise<void> {
    this.terminating ??= this.runTermination(graceSeconds, confirm);
    return this.terminating;
  }

  private async runTermination(graceSeconds: number, confirm: boolean): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    for (const slot of this.slots) for (const p of slot.probes) p.stop();
    if (graceSeconds > 0) this.ctx.events(this.pod, 'Normal', 'Killing', 'Stopping pod containers');
    await Promise.all(this.slots.map((slot) => this.stopSlot(slot, graceSeconds)));
    const podCgroup = this.ctx.cgroups.podDir(this.uid);
    if (podCgroup !== undefined) {
      this.ctx.cgroups.kill(podCgroup);
      await sleep(50);
      this.ctx.cgroups.remove(podCgroup);
    }
    this.closed = true;
    if (this.podIp !== undefined) {
      this.ctx.ipam.release(this.podIp);
      this.ctx.network.podStopped(this.networkInfo());
    }
    rmSync(join(this.ctx.podDataDir, this.uid), { recursive: true, force: true });
    this.ctx.store.remove(this.uid);
    if (confirm) await this.confirmDeletion();
  }

  private async confirmDeletion(): Promise<void> {
    const { namespace, name } = this.pod.metadata ?? {};
    try {
      await this.ctx.api.request('DELETE', `/api/v1/namespaces/${namespace ?? ''}/pods/${name ?? ''}`, {
        body: { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid: this.uid } }, allow404: true,
      });
    } catch (err) {
      // 409: a new Pod with the same name already exists; nothing of ours left to delete.
      this.log.warn({ err }, 'final pod deletion failed');
    }
  }

  private networkInfo(): { namespace: string; name: string; uid: string; podIp: string } {
    return { namespace: this.pod.metadata?.namespace ?? '', name: this.pod.metadata?.name ?? '', uid: this.uid, podIp: this.podIp ?? '' };
  }

  logDir(container: string): string {
    const m = this.pod.metadata;
    return join(this.ctx.podLogsDir, `${m?.namespace ?? ''}_${m?.name ?? ''}_${this.uid}`, container);
  }

  findSlot(container: string): Slot | undefined {
    return this.slots.find((s) => s.spec.name === container);
  }

  /** Where an exec runs; undefined when the container is not running. */
  execTarget(slot: Slot): ExecTarget | undefined {
    if (slot.proc === undefined || slot.plan === undefined) return undefined;
    return { plan: slot.plan, pid: slot.proc.pid };
  }

  view(): PodView {
    const spec = this.pod.spec ?? { containers: [] };
    const conditions = this.pod.status?.conditions ?? [];
    const gates = new Map((spec.readinessGates ?? []).map((g) => [g.conditionType, conditions.some((c) => c.type === g.conditionType && c.status === 'True')]));
    const inits = this.slots.filter((s) => s.kind !== 'app');
    const initDone = inits.every((s) => s.kind === 'sidecar' ? s.proc !== undefined && s.record.started : isCompletedInit(s));
    return {
      spec, hostIp: this.ctx.hostIp, startTime: this.startTime, sandboxReady: this.podIp !== undefined && this.volumes !== undefined,
      initContainers: inits.map((s) => s.record), containers: this.slots.filter((s) => s.kind === 'app').map((s) => s.record),
      initDone: initDone && inits.every((s) => s.kind === 'sidecar' || isCompletedInit(s)),
      initFailed: inits.some((s) => s.kind === 'init' && s.final && !isCompletedInit(s)),
      readinessGates: gates,
      ...(this.podIp !== undefined ? { podIp: this.podIp } : {}), ...(this.problem ? { problem: this.problem } : {}),
    };
  }

  private persist(): void {
    if (this.closed) return;
    const m = this.pod.metadata;
    this.ctx.store.save({
      uid: this.uid, namespace: m?.namespace ?? '', name: m?.name ?? '', startTime: this.startTime,
      ...(this.podIp !== undefined ? { podIp: this.podIp } : {}),
      containers: Object.fromEntries(this.slots.map((s) => [s.spec.name, saveSlot(s)])),
    });
  }

  /** Agent restart: re-adopt live processes (PID and start time must match), mark others lost. */
  private restore(saved: SavedPod): void {
    if (saved.podIp !== undefined) {
      this.podIp = saved.podIp;
      this.ctx.ipam.restore(saved.podIp, this.uid, `${saved.namespace}/${saved.name}`);
    }
    for (const slot of this.slots) {
      const s = saved.containers[slot.spec.name];
      if (s === undefined) continue;
      restoreSlot(slot, s);
      if (s.state.kind !== 'running') continue;
      const proc = s.pid !== undefined && s.startTicks !== undefined ? adoptProcess(s.pid, s.startTicks) : undefined;
      slot.startedAtMs = Date.parse(s.state.startedAt);
      if (proc === undefined) {
        slot.proc = { pid: -1, startTicks: '', exited: Promise.resolve({ code: null, signal: null }) };
        this.watchExit(slot, slot.proc.exited, true);
        continue;
      }
      slot.proc = proc;
      slot.collector = startLogCollector(logFilesFor(this.logDir(slot.spec.name), Math.max(0, slot.runs - 1)));
      this.watchExit(slot, proc.exited, true);
      void this.rebuildPlan(slot);
    }
  }

  /** An adopted container needs its plan again for execs and probes. */
  private async rebuildPlan(slot: Slot): Promise<void> {
    while (!this.closed && this.volumes === undefined) await sleep(200);
    const prepared = await prepareContainer(this.ctx, this.pod, slot.spec, this.volumes ?? new Map(), this.podIp ?? '').catch(() => undefined);
    if (prepared?.ok !== true || slot.proc === undefined) return;
    slot.plan = prepared.plan;
    slot.record = { ...slot.record, ready: slot.spec.readinessProbe === undefined && slot.kind !== 'init', started: slot.spec.startupProbe === undefined };
    this.startProbes(slot);
    this.publisher.publish();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export type { ProcessExit };

/** What the kubelet's pod config compares to tell an update from a status-only change. */
function podsDifferSemantically(a: V1Pod, b: V1Pod): boolean {
  const same = (x: unknown, y: unknown): boolean => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);
  return !same(a.spec, b.spec) || !same(a.metadata?.labels, b.metadata?.labels) || !same(a.metadata?.annotations, b.metadata?.annotations);
}
