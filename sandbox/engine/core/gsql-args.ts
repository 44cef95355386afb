// gsql command line and SQL, translated for psql (opengauss.md §7, §10.3). gsql's -W takes the password
// as a value, -2 reads it from stdin; -r (readline) and -m (maintenance) have no psql equivalent.
import { isPgGuc } from './guc-catalog.ts';

export type GsqlPlan = {
  readonly psqlArgs: readonly string[];
  readonly password: string | undefined;
  readonly passwordFromStdin: boolean;
};
export type GsqlArgResult = { readonly ok: true; readonly plan: GsqlPlan } | { readonly ok: false; readonly lines: readonly string[] };

const valueOptions = new Map([
  ['-c', '--command'], ['-d', '--dbname'], ['-f', '--file'], ['-v', '--set'], ['-o', '--output'], ['-L', '--log-file'],
  ['-h', '--host'], ['-p', '--port'], ['-U', '--username'], ['-P', '--pset'], ['-F', '--field-separator'],
  ['-R', '--record-separator'], ['-T', '--table-attr'],
]);
const longValueAliases = new Set([...valueOptions.values(), '--variable']);
const flagOptions = new Set('abeEnsSAHtxz0X1qlVw?'.split('').map((c) => `-${c}`));
const longFlags = new Set([
  '--echo-all', '--echo-errors', '--echo-queries', '--echo-hidden', '--no-readline', '--single-step', '--single-line',
  '--no-align', '--html', '--tuples-only', '--expanded', '--field-separator-zero', '--record-separator-zero',
  '--no-psqlrc', '--single-transaction', '--quiet', '--list', '--version', '--no-password', '--help', '--csv',
]);
const droppedFlags = new Set(['-r', '-m', '--maintenance', '-C', '--enable-client-encryption']);
const hint = 'Try "gsql --help" for more information.';

type Acc = { args: string[]; password: string | undefined; stdinPassword: boolean };

function takesValue(option: string): boolean {
  return valueOptions.has(option) || option === '-W';
}

// getopt bundles: `-At` is `-A -t`; `-Atc SQL` ends with an option taking the next argument; `-p5432`
// carries its value inline.
function expandBundle(arg: string): string[] | undefined {
  if (!arg.startsWith('-') || arg.startsWith('--') || arg.length <= 2) return undefined;
  const first = `-${arg[1] ?? ''}`;
  if (takesValue(first)) return [first, arg.slice(2)];
  const out: string[] = [];
  for (let k = 1; k < arg.length; k += 1) {
    const option = `-${arg[k] ?? ''}`;
    if (takesValue(option)) {
      out.push(option);
      if (k + 1 < arg.length) out.push(arg.slice(k + 1));
      return out;
    }
    out.push(option);
  }
  return out;
}

function handleValue(acc: Acc, option: string, value: string): void {
  if (option === '-W' || option === '--password') acc.password = value;
  else if (option === '-c' || option === '--command') acc.args.push('-c', rewriteGsqlSql(value));
  else acc.args.push(option, value);
}

function step(argv: readonly string[], i: number, acc: Acc): number | readonly string[] {
  const arg = argv[i] ?? '';
  if (!arg.startsWith('-') || arg === '-') { acc.args.push(arg); return i; }
  if (droppedFlags.has(arg)) return i;
  if (arg === '-2' || arg === '--pipeline') { acc.stdinPassword = true; return i; }
  if (arg.startsWith('--') && arg.includes('=')) {
    const [option = '', ...rest] = arg.split('=');
    if (option !== '--password' && !longValueAliases.has(option)) return [`gsql: unrecognized option '${arg}'`, hint];
    handleValue(acc, option, rest.join('='));
    return i;
  }
  if (valueOptions.has(arg) || longValueAliases.has(arg) || arg === '-W' || arg === '--password') {
    const value = argv[i + 1];
    if (value === undefined) return [`gsql: option requires an argument -- '${arg.replace(/^-+/, '')}'`, hint];
    handleValue(acc, arg, value);
    return i + 1;
  }
  if (flagOptions.has(arg) || longFlags.has(arg)) { acc.args.push(arg); return i; }
  return [arg.startsWith('--') ? `gsql: unrecognized option '${arg}'` : `gsql: invalid option -- '${arg.slice(1)}'`, hint];
}

export function parseGsqlArgs(rawArgv: readonly string[]): GsqlArgResult {
  const acc: Acc = { args: [], password: undefined, stdinPassword: false };
  const argv = [...rawArgv];
  for (let i = 0; i < argv.length; i += 1) {
    // Expanded in place, so an option's value (the word after it) is never taken for a bundle.
    const bundle = expandBundle(argv[i] ?? '');
    if (bundle) argv.splice(i, 1, ...bundle);
    const next = step(argv, i, acc);
    if (typeof next !== 'number') return { ok: false, lines: next };
    i = next;
  }
  return { ok: true, plan: { psqlArgs: acc.args, password: acc.password, passwordFromStdin: acc.stdinPassword } };
}

const showPattern = /^\s*show\s+([A-Za-z_][A-Za-z0-9_]*)\s*;?\s*$/i;
const rolePattern = /^\s*(create|alter)\s+(user|role)\b/i;

// openGauss-only parameters live as og.<name> in PostgreSQL; openGauss role options map to PostgreSQL's.
export function rewriteGsqlSql(sql: string): string {
  const show = showPattern.exec(sql);
  if (show?.[1] && !isPgGuc(show[1]) && show[1].toLowerCase() !== 'all') {
    const name = show[1].toLowerCase();
    return `SELECT current_setting('og.${name}', true) AS ${name};`;
  }
  if (!rolePattern.test(sql)) return sql;
  return sql
    .replace(/\bsysadmin\b/gi, 'SUPERUSER')
    .replace(/\b(monadmin|opradmin|poladmin|auditadmin)\b/gi, '')
    .replace(/\bidentified\s+by\s+/gi, 'PASSWORD ')
    .replace(/\bpassword\s+"((?:[^"]|"")*)"/gi, (_m, pw: string) => `PASSWORD '${pw.replace(/""/g, '"').replace(/'/g, "''")}'`);
}
