// gs_initdb over initdb (opengauss.md §9.2, §10.3): the superuser is named after the OS user, -w takes
// the password as a value, and the openGauss SQL surface (sql/og_compat.sql) is installed.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseGsInitdbArgs } from '../core/gs-initdb-args.ts';
import { writeReplPassfile } from './datadir.ts';
import { engineDir, pgBin } from './paths.ts';
import { osUser, run } from './proc.ts';
import { refuseRoot } from './root-refusal.ts';

function passwordOf(password: string | undefined, pwFile: string | undefined): string | undefined {
  if (password !== undefined) return password;
  if (pwFile === undefined) return undefined;
  return readFileSync(pwFile, 'utf8').split('\n')[0];
}

// template1 gets the schema; postgres is recreated from it. Database-level settings are not copied
// by CREATE DATABASE, so search_path is set on both.
function compatScript(): string {
  const searchPath = 'og_compat, pg_catalog, "$user", public';
  return `${readFileSync(join(engineDir, 'sql', 'og_compat.sql'), 'utf8')}\n\nDROP DATABASE postgres;\n\nCREATE DATABASE postgres TEMPLATE template1;\n\nALTER DATABASE postgres SET search_path = ${searchPath};\n`;
}

function installCompat(dataDir: string): boolean {
  const result = run(pgBin('postgres'), ['--single', '-j', '-D', dataDir, 'template1'], { input: compatScript() });
  if (result.code !== 0 || /\bERROR:/.test(result.stdout + result.stderr)) {
    process.stderr.write(`gs_initdb: could not install the openGauss SQL surface:\n${result.stdout}${result.stderr}`);
    return false;
  }
  return true;
}

// openGauss-flavoured settings, after the schema install (single-user mode reads postgresql.conf,
// and PostgreSQL would refuse the openGauss-only names).
function appendOpenGaussConf(dataDir: string, nodeName: string): void {
  const lines = ['', '# openGauss settings written by gs_initdb', `pgxc_node_name = '${nodeName}'`];
  const gausslog = process.env['GAUSSLOG'];
  if (gausslog) lines.push(`log_directory = '${gausslog}/pg_log'`);
  appendFileSync(join(dataDir, 'postgresql.conf'), `${lines.join('\n')}\n`);
}

export function gsInitdbMain(argv: readonly string[]): number {
  if (refuseRoot('gs_initdb')) return 1;
  const parsed = parseGsInitdbArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(parsed.lines.map((l) => `${l}\n`).join(''));
    return 1;
  }
  const { plan } = parsed;
  const dir = plan.dataDir ?? process.env['PGDATA'];
  if (!dir) {
    process.stderr.write('gs_initdb: no data directory specified\nTry "gs_initdb --help" for more information.\n');
    return 1;
  }
  const dataDir = resolve(dir);
  const password = passwordOf(plan.password, plan.pwFile);
  const scratch = mkdtempSync(join(tmpdir(), 'gs_initdb-'));
  try {
    const args = ['-D', dataDir, '-U', osUser(), '--auth-local=trust', '--auth-host=md5', '--no-sync', '--no-instructions', ...plan.initdbArgs];
    if (password !== undefined) {
      writeFileSync(join(scratch, 'pw'), `${password}\n`, { mode: 0o600 });
      args.push(`--pwfile=${join(scratch, 'pw')}`);
    }
    const result = run(pgBin('initdb'), args, { stdio: ['inherit', 'pipe', 'pipe'] });
    process.stdout.write(result.stdout.replace(/\binitdb\b/g, 'gs_initdb'));
    process.stderr.write(result.stderr.replace(/\binitdb\b/g, 'gs_initdb'));
    if (result.code !== 0) return result.code;
    if (!installCompat(dataDir)) return 1;
    appendOpenGaussConf(dataDir, plan.nodeName);
    if (password !== undefined) writeReplPassfile(dataDir, osUser(), password);
    process.stdout.write(`Success. You can now start the database server of single node using:\n\n    gaussdb -D ${dataDir} --single_node\nor\n    gs_ctl start -D ${dataDir} -Z single_node -l logfile\n\n`);
    return 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
