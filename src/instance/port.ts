// The instance port: run one command in a member's og container. Implemented over pods/exec
// (exec.ts) and by the replaying fake of the component tests. A non-zero exit is data
// (`exited`); only a transport failure or a deadline is an error, and both are retryable.
import type { OperatorError } from '../errors.ts';

export type ExecTarget = { readonly namespace: string; readonly pod: string; readonly container: string };

export type ExecOutcome =
  | { readonly kind: 'exited'; readonly exitCode: number; readonly stdout: string; readonly stderr: string; readonly truncated: boolean }
  | { readonly kind: 'failed'; readonly error: OperatorError };

export interface InstanceRunner {
  run(target: ExecTarget, argv: readonly string[], timeoutMs: number): Promise<ExecOutcome>;
}

/** 2.0 runs every command in this container (seed §4.1). */
export const OG_CONTAINER = 'og';
