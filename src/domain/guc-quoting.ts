// Values for `gs_guc set|reload -c "name=value"` (opengauss.md §5.1) and for shell command lines.
// A -c value is written as it will stand after `=` in postgresql.conf: numbers, booleans and simple
// enums bare, strings inside single quotes. spec.config values arrive in that form already (2.0
// applies them unquoted, so string values carry their own quotes); the operator's own strings are
// quoted with quoteGucString.

/** Names gs_guc accepts: letters, digits, underscore and a dot for custom (extension) names. */
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;
/** A bare value: number with optional unit, boolean, enum word, or a signed/decimal number. */
const BARE_RE = /^[A-Za-z0-9_.:+-]+$/;
/** A quoted postgresql.conf string: '' or a backslash escape inside; no raw newline. */
const QUOTED_RE = /^'(?:[^'\\\r\n]|\\[^\r\n]|'')*'$/;

export function isValidGucName(name: string): boolean {
  return NAME_RE.test(name);
}

/** Whether `raw` can follow `name=` on a postgresql.conf line (and so in a gs_guc -c argument). */
export function isWellFormedGucValue(raw: string): boolean {
  return BARE_RE.test(raw) || QUOTED_RE.test(raw);
}

const escapes: Readonly<Record<string, string>> = { '\\': '\\\\', "'": "''", '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/**
 * Any text as a postgresql.conf string literal: quotes doubled, backslashes and control characters
 * escaped the way the configuration file parser reads them back, so the result is one line.
 */
export function quoteGucString(text: string): string {
  let out = "'";
  for (const ch of text) {
    const escaped = escapes[ch];
    const code = ch.codePointAt(0) ?? 0;
    out += escaped ?? (code < 0x20 || code === 0x7f ? `\\${code.toString(8).padStart(3, '0')}` : ch);
  }
  return `${out}'`;
}

const unescapes: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };

/** The text of a quoted postgresql.conf string (the configuration parser's reading), or undefined. */
export function parseGucString(literal: string): string | undefined {
  if (!QUOTED_RE.test(literal)) return undefined;
  const body = literal.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i += 1) {
    const ch = body[i] ?? '';
    const next = body[i + 1] ?? '';
    if (ch === "'") {
      out += "'";
      i += 1;
    } else if (ch === '\\') {
      const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1))?.[0];
      out += octal !== undefined ? String.fromCharCode(Number.parseInt(octal, 8)) : (unescapes[next] ?? next);
      i += octal?.length ?? 1;
    } else {
      out += ch;
    }
  }
  return out;
}

/** The `-c` argument of gs_guc: `name=value`, value as after `=` in postgresql.conf. */
export function renderGucAssignment(name: string, value: string): string {
  return `${name}=${value}`;
}

/** One argument for a POSIX shell command line (`sh -c`), single-quoted. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}
