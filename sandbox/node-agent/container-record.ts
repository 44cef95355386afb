// The agent's view of one container: what the status reports and what survives an agent
// restart (state file). Times are RFC 3339 strings as the API writes them.

export type Terminated = {
  readonly exitCode: number;
  readonly signal?: number;
  readonly reason: string;
  readonly message?: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly containerId: string;
};

export type ContainerState =
  | { readonly kind: 'waiting'; readonly reason: string; readonly message?: string }
  | { readonly kind: 'running'; readonly startedAt: string }
  | ({ readonly kind: 'terminated' } & Terminated);

export type ContainerRecord = {
  readonly name: string;
  readonly image: string;
  readonly imageId: string;
  readonly containerId?: string;
  readonly restartCount: number;
  readonly state: ContainerState;
  readonly lastState?: Terminated;
  /** Readiness verdict (true when running without a readiness probe). */
  readonly ready: boolean;
  /** Startup verdict (true when running without a startup probe). */
  readonly started: boolean;
};

export function waitingRecord(name: string, image: string, reason = 'ContainerCreating', message?: string): ContainerRecord {
  return {
    name, image, imageId: '', restartCount: 0, ready: false, started: false,
    state: message === undefined ? { kind: 'waiting', reason } : { kind: 'waiting', reason, message },
  };
}

/** Kubernetes' reason for an exit: Completed for 0, OOMKilled never happens here, else Error. */
export function exitReason(exitCode: number): string {
  return exitCode === 0 ? 'Completed' : 'Error';
}

/** Exit status as the kubelet reports it: 128 + signal for a signalled process. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null, signalNumbers: Readonly<Record<string, number>>): { exitCode: number; signal?: number } {
  if (code !== null) return { exitCode: code };
  const number = signal === null ? undefined : signalNumbers[signal];
  return number === undefined ? { exitCode: 255 } : { exitCode: 128 + number, signal: number };
}
