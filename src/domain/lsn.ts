// WAL positions and terms as openGauss prints them (opengauss.md §3). An LSN is `%X/%X`, compared
// as the integer hi<<32 | lo, never as text. A primary's pg_current_xlog_location() prints a bare
// LSN; pg_last_xlog_replay_location() prints a (term,lsn) record. 2.0 demanded the record form and
// read every primary as 0 (weakness 5): both forms parse here.
import { parseError, parsed, type Parsed } from './parse-error.ts';

/** A WAL position as an unsigned 64-bit integer. */
export type Lsn = bigint;

/** The position of a member: the term (absent when the tool did not print one) and the LSN. */
export type WalPosition = { readonly term: number | undefined; readonly lsn: Lsn };

const LSN_RE = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;
const TERM_RE = /^\d{1,10}$/;
const UINT32_MAX = 0xffff_ffff;

export function parseLsn(text: string): Parsed<Lsn> {
  const match = LSN_RE.exec(text.trim());
  if (match === null) return parseError('lsn', 'expected hex/hex', text);
  return parsed((BigInt(`0x${match[1] ?? '0'}`) << 32n) | BigInt(`0x${match[2] ?? '0'}`));
}

/** The `%X/%X` text of an LSN (upper-case hex, no padding), as openGauss prints it. */
export function renderLsn(lsn: Lsn): string {
  const hi = (lsn >> 32n) & 0xffff_ffffn;
  const lo = lsn & 0xffff_ffffn;
  return `${hi.toString(16).toUpperCase()}/${lo.toString(16).toUpperCase()}`;
}

/** An openGauss term: an unsigned 32-bit decimal. */
export function parseTerm(text: string): Parsed<number> {
  const trimmed = text.trim();
  if (!TERM_RE.test(trimmed)) return parseError('term', 'expected a decimal number', text);
  const value = Number(trimmed);
  return value > UINT32_MAX ? parseError('term', 'larger than uint32', text) : parsed(value);
}

// One value: `0/3000550`, `(3,0/5000060)`, or `3|0/5000148` (`-t -A` with named columns).
function parsePositionValue(value: string): Parsed<WalPosition> {
  const record = /^\(\s*([^,()]*)\s*,\s*([^,()]*)\s*\)$/.exec(value) ?? /^([^|]*)\|([^|]*)$/.exec(value);
  if (record === null) {
    const lsn = parseLsn(value);
    return lsn.ok ? parsed({ term: undefined, lsn: lsn.value }) : lsn;
  }
  const term = parseTerm(record[1] ?? '');
  const lsn = parseLsn(record[2] ?? '');
  if (!term.ok) return term;
  return lsn.ok ? parsed({ term: term.value, lsn: lsn.value }) : lsn;
}

const isNoise = (line: string): boolean =>
  line === '' || /^-+(\+-+)*$/.test(line) || /^\(\d+ rows?\)$/.test(line) || /^[a-z_]+(\s*\|\s*[a-z_]+)*$/.test(line);

/**
 * The WAL position in the output of `select pg_current_xlog_location();` or
 * `select pg_last_xlog_replay_location();` (aligned gsql output or `-t -A`). The first line that is
 * neither a header, a rule nor a row-count footer must hold the value.
 */
export function parseXlogLocation(output: string): Parsed<WalPosition> {
  const lines = output.split(/\r?\n/).map((l) => l.trim());
  const value = lines.find((l) => !isNoise(l));
  if (value === undefined) return parseError('xlog location', 'no value row', output);
  const position = parsePositionValue(value);
  return position.ok ? position : parseError('xlog location', position.error.reason, output);
}
