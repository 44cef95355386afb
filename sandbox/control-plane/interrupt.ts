// Ctrl-C (SIGINT) and SIGTERM during a start-up. Node's default is to die at once, skipping
// 'exit' handlers, which would leave the components (each in its own process group) running.
// Instead the first signal aborts an AbortSignal that every start-up step checks: the steps
// unwind through their own cleanup, and the entry point prints one line and exits 128 + signal.
import { constants } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { HarnessError, HarnessErrorCodes } from '../harness-error.ts';

const stopSignals = ['SIGINT', 'SIGTERM'] as const;
export type StopSignal = (typeof stopSignals)[number];

/** The abort reason: thrown by the interrupted step, printed by the entry point. */
export class Interrupted extends HarnessError {
  readonly signal: StopSignal;
  /** The shell's convention for "ended by this signal". */
  readonly exitCode: number;

  constructor(signal: StopSignal, during: string) {
    super(HarnessErrorCodes.INTERRUPTED, `${signal} during ${during}: stopped every process started so far`);
    this.signal = signal;
    this.exitCode = 128 + constants.signals[signal];
  }
}

export type Interrupt = {
  readonly signal: AbortSignal;
  /** Back to Node's defaults (a detached sandbox is up: Ctrl-C now only ends this command). */
  dispose(): void;
};

/** Listens for SIGINT and SIGTERM until disposed; the first one aborts `signal` with an `Interrupted`. */
export function interruptOnStopSignals(during: string): Interrupt {
  const controller = new AbortController();
  const onSignal = (signal: StopSignal): void => { if (!controller.signal.aborted) controller.abort(new Interrupted(signal, during)); };
  for (const s of stopSignals) process.on(s, onSignal);
  return { signal: controller.signal, dispose: () => { for (const s of stopSignals) process.off(s, onSignal); } };
}

/**
 * Runs a start-up; once a stop signal arrived, whatever it fails with is reported as the
 * interruption: a terminal's Ctrl-C also reaches the tools in our process group (go, kubectl,
 * openssl), whose failure is then only a symptom.
 */
export async function unlessInterrupted<T>(signal: AbortSignal, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    throw signal.aborted ? (signal.reason as unknown) : error;
  }
}

/** Sleeps `ms`, waking at once when `signal` aborts, and then throws its reason. */
export async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined); // only an abort rejects; thrown below with its reason
  signal?.throwIfAborted();
}
