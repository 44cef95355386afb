// Go `flag`-style command-line parsing (pure), so the flags of openGauss-operator 2.0's manifests
// (`--leader-elect --max-concurrent-reconcile=10 --pollingPeriod=60`) work unchanged: one or two
// dashes, `--name=value` or `--name value`, booleans as `--name` or `--name=true|false` (never
// `--name false`, as in Go), `--` ends the flags. Unknown flags are errors, never ignored.

export type FlagKind = 'bool' | 'value';

export type FlagSpec = {
  readonly name: string;
  readonly kind: FlagKind;
  /** Other accepted spellings (e.g. 2.0 / kubebuilder names). */
  readonly aliases?: readonly string[];
};

export type ParsedFlags =
  | { readonly ok: true; readonly values: ReadonlyMap<string, string>; readonly help: boolean }
  | { readonly ok: false; readonly message: string };

type Token = { readonly name: string; readonly inline: string | undefined };

function splitToken(arg: string): Token | undefined {
  const match = /^--?([^=-][^=]*)(?:=(.*))?$/s.exec(arg);
  if (match === null) return undefined;
  return { name: match[1] ?? '', inline: match[2] };
}

function boolValue(name: string, text: string | undefined): string | { error: string } {
  if (text === undefined) return 'true';
  const lower = text.toLowerCase();
  if (['true', '1', 't'].includes(lower)) return 'true';
  if (['false', '0', 'f'].includes(lower)) return 'false';
  return { error: `--${name} takes true or false, not ${JSON.stringify(text)}` };
}

type Step = { readonly consumed: number; readonly set?: readonly [string, string]; readonly help?: true } | { readonly error: string };

function step(argv: readonly string[], i: number, byName: ReadonlyMap<string, FlagSpec>): Step {
  const arg = argv[i] ?? '';
  const token = splitToken(arg);
  if (token === undefined) return { error: `unexpected argument ${JSON.stringify(arg)}: flags only` };
  if (token.name === 'h' || token.name === 'help') return { consumed: 1, help: true };
  const spec = byName.get(token.name);
  if (spec === undefined) return { error: `unknown flag --${token.name}` };
  if (spec.kind === 'bool') {
    const value = boolValue(token.name, token.inline);
    return typeof value === 'string' ? { consumed: 1, set: [spec.name, value] } : value;
  }
  if (token.inline !== undefined) return { consumed: 1, set: [spec.name, token.inline] };
  const next = argv[i + 1];
  return next === undefined ? { error: `--${token.name} needs a value` } : { consumed: 2, set: [spec.name, next] };
}

/** Parses `argv` against `specs`; the map is keyed by each flag's canonical name, last one wins. */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  const byName = new Map<string, FlagSpec>();
  for (const spec of specs) for (const name of [spec.name, ...(spec.aliases ?? [])]) byName.set(name, spec);
  const values = new Map<string, string>();
  let help = false;
  for (let i = 0; i < argv.length && argv[i] !== '--';) {
    const result = step(argv, i, byName);
    if ('error' in result) return { ok: false, message: result.error };
    if (result.set !== undefined) values.set(result.set[0], result.set[1]);
    help ||= result.help === true;
    i += result.consumed;
  }
  return { ok: true, values, help };
}
