// gs_initdb command line (opengauss.md §9.2), translated for PostgreSQL's initdb (§10.3).
export type GsInitdbPlan = {
  readonly dataDir: string | undefined;
  readonly nodeName: string;
  readonly password: string | undefined;
  readonly pwFile: string | undefined;
  readonly initdbArgs: readonly string[];
};
export type GsInitdbArgResult = { readonly ok: true; readonly plan: GsInitdbPlan } | { readonly ok: false; readonly lines: readonly string[] };

const hint = 'Try "gs_initdb --help" for more information.';
const passThroughValue = new Set(['--locale', '--lc-collate', '--lc-ctype', '--lc-messages', '--lc-monetary', '--lc-numeric', '--lc-time', '-X', '--waldir', '--xlogdir']);
const ignoredValue = new Set(['--dbcompatibility', '-U', '--username', '-A', '--auth', '--auth-host', '--auth-local', '-L', '-C', '--enpwdfile', '-H', '--host']);

type Acc = { dataDir?: string; nodeName?: string; password?: string; pwFile?: string; encoding?: string; args: string[]; prompt: boolean };

function normaliseEncoding(value: string): string {
  const v = value.replace(/^=/, '');
  return /^utf-?8$/i.test(v) ? 'UTF8' : v;
}

function splitLong(arg: string, next: string | undefined): { option: string; value: string | undefined; used: boolean } {
  const eq = arg.indexOf('=');
  if (arg.startsWith('--') && eq > 0) return { option: arg.slice(0, eq), value: arg.slice(eq + 1), used: false };
  if (!arg.startsWith('--') && arg.length > 2) return { option: arg.slice(0, 2), value: arg.slice(2), used: false };
  return { option: arg, value: next, used: true };
}

const valueOptions = new Set(['-D', '--pgdata', '--nodename', '-w', '--pwpasswd', '--pwfile', '-E', '--encoding', ...passThroughValue, ...ignoredValue]);

function apply(acc: Acc, option: string, value: string): boolean {
  if (option === '-D' || option === '--pgdata') acc.dataDir = value;
  else if (option === '--nodename') acc.nodeName = value;
  else if (option === '-w' || option === '--pwpasswd') acc.password = value;
  else if (option === '--pwfile') acc.pwFile = value;
  else if (option === '-E' || option === '--encoding') acc.encoding = normaliseEncoding(value);
  else if (passThroughValue.has(option)) acc.args.push(`${option}=${value}`);
  else if (!ignoredValue.has(option)) return false;
  return true;
}

const flagOptions = new Map([['-k', '--data-checksums'], ['--data-checksums', '--data-checksums'], ['-W', '-W'], ['--pwprompt', '-W'], ['-n', '--no-clean'], ['--no-clean', '--no-clean'], ['-S', ''], ['--security', '']]);

export function parseGsInitdbArgs(argv: readonly string[]): GsInitdbArgResult {
  const acc: Acc = { args: [], prompt: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const flag = flagOptions.get(arg);
    if (flag !== undefined) { if (flag !== '') acc.args.push(flag); continue; }
    if (!arg.startsWith('-')) { acc.dataDir ??= arg; continue; }
    const { option, value, used } = splitLong(arg, argv[i + 1]);
    if (!valueOptions.has(option)) return { ok: false, lines: [arg.startsWith('--') ? `gs_initdb: unrecognized option '${arg}'` : `gs_initdb: invalid option -- '${arg.slice(1, 2)}'`, hint] };
    if (value === undefined) return { ok: false, lines: [`gs_initdb: option requires an argument -- '${option.replace(/^-+/, '')}'`, hint] };
    if (!apply(acc, option, value)) return { ok: false, lines: [arg.startsWith('--') ? `gs_initdb: unrecognized option '${arg}'` : `gs_initdb: invalid option -- '${arg.slice(1, 2)}'`, hint] };
    if (used) i += 1;
  }
  const args = [...acc.args, `--encoding=${acc.encoding ?? 'UTF8'}`];
  if (!acc.args.some((a) => a.startsWith('--locale') || a.startsWith('--lc-'))) args.push('--locale=C');
  return { ok: true, plan: { dataDir: acc.dataDir, nodeName: acc.nodeName ?? 'gaussdb', password: acc.password, pwFile: acc.pwFile, initdbArgs: args } };
}
