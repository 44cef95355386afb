// gs_guc set|reload|check (opengauss.md §5): edits the openGauss files, then (reload) derives
// PostgreSQL's configuration and signals the server.
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { commentOutConfValue, parseConf, setConfValue } from '../core/conf-file.ts';
import { findGuc } from '../core/guc-catalog.ts';
import { checkGucValue, unquoteGsGucValue } from '../core/guc-value-check.ts';
import { parseGsGucArgs, type GsGucOptions, type GucSetting } from '../core/gs-guc-args.ts';
import { parseHbaArgument, setHbaRecord } from '../core/hba.ts';
import { quoteConfValue } from '../core/conf-file.ts';
import { readMode, readText, runningServer } from './datadir.ts';
import { isAlive, signal } from './proc.ts';
import { deriveConfig, ensureSyncWatcher } from './server.ts';

function print(lines: readonly string[]): void {
  process.stdout.write(lines.map((l) => `${l}\n`).join(''));
}

function validate(settings: readonly GucSetting[], verb: string): string[] {
  const errors: string[] = [];
  for (const setting of settings) {
    const info = findGuc(setting.name);
    if (!info) {
      errors.push(`ERROR: The name of parameter "${setting.name}" is incorrect. It is not within the CN/DN support parameters or it is a read only parameter.`);
      continue;
    }
    if (setting.rawValue === undefined || verb === 'check') continue;
    const check = checkGucValue(info, setting.rawValue);
    if (!check.ok) errors.push(check.message);
  }
  return errors;
}

// Values are written the way PostgreSQL reads them: quoted strings in single quotes, the rest bare.
function confValue(raw: string): string {
  return raw.startsWith('"') || raw.startsWith("'") ? quoteConfValue(unquoteGsGucValue(raw)) : raw;
}

function buildInProgress(dataDir: string): boolean {
  const state = readText(join(dataDir, 'gaussdb.state')) ?? '';
  const pid = Number(/build_pid=(\d+)/.exec(state)?.[1] ?? 0);
  return /db_state=Building/.test(state) && pid !== process.pid && isAlive(pid);
}

function applyConf(dataDir: string, options: GsGucOptions): string[] {
  const path = join(dataDir, 'postgresql.conf');
  let text = readFileSync(path, 'utf8');
  const lines = [`expected instance path: [${path}]`];
  for (const s of options.settings) {
    text = s.rawValue === undefined ? commentOutConfValue(text, s.name) : setConfValue(text, s.name, confValue(s.rawValue));
    lines.push(`gs_guc ${options.verb}: ${s.rawValue === undefined ? `#${s.name}` : `${s.name}=${s.rawValue}`}: [${path}]`);
  }
  writeFileSync(path, text);
  return lines;
}

function applyHba(dataDir: string, options: GsGucOptions): string[] | { error: string } {
  const path = join(dataDir, 'pg_hba.conf');
  let text = readText(path) ?? '';
  const lines = [`expected instance path: [${path}]`];
  for (const record of options.hbaRecords) {
    const parsed = parseHbaArgument(record);
    if (!parsed) return { error: `ERROR: Invalid argument as authentication parameter: "${record}"` };
    text = setHbaRecord(text, parsed.record, parsed.method === undefined ? undefined : parsed.method);
    lines.push(`gs_guc ${options.verb}: ${record}: [${path}]`);
  }
  writeFileSync(path, text);
  return lines;
}

function summary(ok: boolean, confPath: string): string[] {
  if (ok) return ['', 'Total instances: 1. Failed instances: 0.', 'Success to perform gs_guc!', ''];
  return ['', 'Total instances: 1. Failed instances: 1.', 'Failed instance information:', `    [${hostname()}]    [${confPath}]`, '', 'Failure to perform gs_guc!', ''];
}

function check(dataDir: string, options: GsGucOptions): number {
  const path = join(dataDir, 'postgresql.conf');
  const conf = parseConf(readText(path) ?? '');
  const lines = [`expected instance path: [${path}]`];
  for (const s of options.settings) lines.push(`gs_guc check: ${hostname()}: ${s.name}=${conf.get(s.name.toLowerCase())?.rawValue ?? 'NULL'}: [${path}]`);
  print([...lines, ...summary(true, path)]);
  return 0;
}

// reload writes first, then signals; with no server the edit stays on disk and the exit code is 1.
function reload(dataDir: string, lines: string[]): boolean {
  const info = runningServer(dataDir);
  if (!info) {
    lines.push('ERROR: the server is not running; the change takes effect at its next start.');
    return false;
  }
  const config = deriveConfig(dataDir, readMode(dataDir));
  signal(info.pid, 'SIGHUP');
  ensureSyncWatcher(dataDir, config);
  lines.push('server signaled');
  return true;
}

export function gsGucMain(argv: readonly string[]): number {
  const parsed = parseGsGucArgs(argv);
  if (!parsed.ok) {
    print(parsed.lines);
    return 1;
  }
  const options = parsed.options;
  const dir = options.dataDir ?? process.env['PGDATA'];
  if (!dir) {
    print(['ERROR: -D or -N parameter must be specified.']);
    return 1;
  }
  const dataDir = resolve(dir);
  const errors = validate(options.settings, options.verb);
  if (errors.length > 0) {
    print(errors);
    return 1;
  }
  if (options.verb === 'check') return check(dataDir, options);
  if (buildInProgress(dataDir)) {
    print(['gs_guc:The gs_ctl build is doing now, the gs_guc process should be stopped.']);
    return 1;
  }
  const lines = options.settings.length > 0 ? applyConf(dataDir, options) : [];
  const hba = options.hbaRecords.length > 0 ? applyHba(dataDir, options) : [];
  if (!Array.isArray(hba)) {
    print([...lines, hba.error]);
    return 1;
  }
  lines.push(...hba);
  const ok = options.verb === 'reload' ? reload(dataDir, lines) : true;
  print([...lines, ...summary(ok, join(dataDir, 'postgresql.conf'))]);
  return ok ? 0 : 1;
}
