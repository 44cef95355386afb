// First-start work of the official image's entrypoint (opengauss.md §9.1), run as omm by
// bin/entrypoint.sh before it execs the container command (`gaussdb -M <mode>`).
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { modeFromArgs, passwordProblem, renderFirstStartConf, renderFirstStartHba } from '../core/entrypoint-plan.ts';
import { quoteConfValue } from '../core/conf-file.ts';
import { hasPgVersion, runningServer } from './datadir.ts';
import { gsCtlMain } from './gs-ctl.ts';
import { gsInitdbMain } from './gs-initdb.ts';
import { pgBin } from './paths.ts';
import { run } from './proc.ts';
import { runSql } from './psql.ts';
import { localConnection } from './server.ts';

function passwordFromEnv(): string | undefined {
  const file = process.env['GS_PASSWORD_FILE'];
  if (file && existsSync(file)) return readFileSync(file, 'utf8').split('\n')[0];
  return process.env['GS_PASSWORD'];
}

function sqlLiteral(value: string): string {
  return quoteConfValue(value);
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function createUsers(dataDir: string, password: string): boolean {
  const info = runningServer(dataDir);
  if (!info) return false;
  const conn = localConnection(info);
  const statements = [`CREATE USER repuser SUPERUSER REPLICATION PASSWORD ${sqlLiteral(password)}`];
  const db = process.env['GS_DB'] || 'omm';
  if (db !== 'postgres') statements.push(`CREATE DATABASE ${ident(db)}`);
  const user = process.env['GS_USERNAME'];
  const userPassword = process.env['GS_USER_PASSWORD'];
  if (user && userPassword) statements.push(`CREATE USER ${ident(user)} WITH LOGIN PASSWORD ${sqlLiteral(userPassword)}`, `GRANT ALL PRIVILEGES ON DATABASE ${ident(db)} TO ${ident(user)}`);
  return statements.every((sql) => runSql(conn, sql).code === 0);
}

function runInitScripts(dataDir: string): void {
  const dir = '/docker-entrypoint-initdb.d';
  if (!existsSync(dir)) return;
  const info = runningServer(dataDir);
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name.endsWith('.sh')) run('bash', [path], { stdio: 'inherit' });
    else if (name.endsWith('.sql') && info) run(pgBin('psql'), ['-X', '-v', 'ON_ERROR_STOP=1', '-h', info.socketDir, '-p', String(info.port), '-d', process.env['GS_DB'] || 'postgres', '-f', path], { stdio: 'inherit' });
  }
}

function initialise(dataDir: string, password: string, args: readonly string[]): number {
  const scratch = mkdtempSync(join(tmpdir(), 'og-entrypoint-'));
  try {
    writeFileSync(join(scratch, 'pw'), `${password}\n`, { mode: 0o600 });
    const initdb = gsInitdbMain(['--pwfile', join(scratch, 'pw'), `--nodename=${process.env['GS_NODENAME'] || 'gaussdb'}`, '-D', dataDir]);
    if (initdb !== 0) return initdb;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  appendFileSync(join(dataDir, 'postgresql.conf'), renderFirstStartConf(process.env));
  appendFileSync(join(dataDir, 'pg_hba.conf'), renderFirstStartHba(process.env));
  const mode = modeFromArgs(args);
  // A standby copies the primary (gs_ctl build -b full) instead of creating users.
  if (mode === 'standby' || mode === 'cascade_standby') {
    writeFileSync(join(dataDir, buildPendingFile), `${mode}\n`);
    return buildStandby(dataDir, mode);
  }
  // The temporary server listens on the socket only, so readiness probes do not pass during init.
  if (gsCtlMain(['start', '-D', dataDir, '-w', '-M', mode, '-s', '-o', '-c listen_addresses=']) !== 0) return 1;
  const created = createUsers(dataDir, password);
  runInitScripts(dataDir);
  const stopped = gsCtlMain(['stop', '-D', dataDir, '-m', 'fast', '-s']);
  return created && stopped === 0 ? 0 : 1;
}

/** Written before a standby's first build and removed after it: a restart finishes the job. */
const buildPendingFile = 'og_build_pending';
const buildAttempts = 30;

/**
 * Pods start in any order, so the primary may not answer yet: retry the build for a bounded time
 * (then fail, and the container restart tries again). -q: the container command starts the server.
 */
function buildStandby(dataDir: string, mode: string): number {
  for (let attempt = 1; ; attempt++) {
    const code = gsCtlMain(['build', '-D', dataDir, '-b', 'full', '-M', mode, '-q']);
    if (code === 0) {
      rmSync(join(dataDir, buildPendingFile), { force: true });
      return 0;
    }
    if (attempt >= buildAttempts) return code;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
  }
}

export function entrypointMain(args: readonly string[]): number {
  const dir = process.env['PGDATA'];
  if (!dir) {
    process.stderr.write('Error: PGDATA is not set.\n');
    return 1;
  }
  const dataDir = resolve(dir);
  if (hasPgVersion(dataDir)) {
    const pending = join(dataDir, buildPendingFile);
    return existsSync(pending) ? buildStandby(dataDir, readFileSync(pending, 'utf8').trim() || 'standby') : 0;
  }
  const password = passwordFromEnv();
  const problem = passwordProblem(password);
  if (problem || password === undefined) {
    process.stderr.write(`${(problem ?? []).join('\n')}\n`);
    return 1;
  }
  return initialise(dataDir, password, args);
}
