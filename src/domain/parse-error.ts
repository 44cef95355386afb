// Parsers of tool output never throw: a malformed or unexpected text is an expected outcome (a
// member mid-restart, a truncated exec), so it comes back as a value the caller can record per
// member (house style §5: expected outcomes are values).

/** Why a text could not be parsed; `input` is a bounded excerpt, safe to log (tool output only). */
export type ParseError = {
  readonly kind: 'ParseError';
  /** What was being parsed, e.g. `lsn`, `gs_ctl query`. */
  readonly what: string;
  readonly reason: string;
  readonly input: string;
};

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ParseError };

const EXCERPT_MAX = 200;

export function parsed<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function parseError<T>(what: string, reason: string, input: string): Parsed<T> {
  const excerpt = input.length > EXCERPT_MAX ? `${input.slice(0, EXCERPT_MAX)}…` : input;
  return { ok: false, error: { kind: 'ParseError', what, reason, input: excerpt } };
}
