// What a reconcile pass returns. Level-triggered: `done` means "converged for now"; a
// handler that started something long returns `requeueAfter` and observes it on the next pass.
import { ErrorCodes, OperatorError } from '../errors.ts';

export type ReconcileResult =
  | { readonly kind: 'done' }
  | { readonly kind: 'requeueAfter'; readonly ms: number; readonly why: string }
  /** Run again at once: someone else wrote first (409); not an error. */
  | { readonly kind: 'requeue'; readonly why: string }
  /** Failed, may succeed later: per-key exponential back-off. */
  | { readonly kind: 'retry'; readonly error: unknown }
  /** Failed in a way retrying cannot fix: no retry until the object changes. */
  | { readonly kind: 'terminal'; readonly error: unknown };

export const Result = {
  done: (): ReconcileResult => ({ kind: 'done' }),
  requeueAfter: (ms: number, why: string): ReconcileResult => ({ kind: 'requeueAfter', ms, why }),
  requeue: (why: string): ReconcileResult => ({ kind: 'requeue', why }),
  retry: (error: unknown): ReconcileResult => ({ kind: 'retry', error }),
  terminal: (error: unknown): ReconcileResult => ({ kind: 'terminal', error }),
} as const;

/** Throw this (or return Result.terminal) for an invalid spec or a broken invariant. */
export class TerminalError extends OperatorError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(ErrorCodes.RECONCILE_TERMINAL, message, { retryable: false, ...options });
    this.name = 'TerminalError';
  }
}

export function isTerminalError(error: unknown): boolean {
  return error instanceof OperatorError && error.code === ErrorCodes.RECONCILE_TERMINAL;
}

/** controller-runtime's `result` label values. */
export type ReconcileOutcomeLabel = 'success' | 'error' | 'requeue' | 'requeue_after';

export function outcomeLabel(result: ReconcileResult): ReconcileOutcomeLabel {
  switch (result.kind) {
    case 'done': return 'success';
    case 'requeueAfter': return 'requeue_after';
    case 'requeue': return 'requeue';
    case 'retry':
    case 'terminal': return 'error';
  }
}
