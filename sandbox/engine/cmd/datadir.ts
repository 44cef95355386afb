// Side state the engine keeps in the data directory (opengauss.md §10.2): the role of the last start
// (og_mode), the term (term_file, 4 bytes like openGauss), replication credentials (og_replpass, a
// pgpass file), the log file of the running server (og_logfile), and PostgreSQL's postmaster.pid.
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConf, type ConfEntry } from '../core/conf-file.ts';
import { parseServerMode, type ServerMode } from '../core/server-mode.ts';
import { isAlive, osUser } from './proc.ts';

export type PostmasterPid = {
  readonly pid: number;
  readonly dataDir: string;
  readonly port: number;
  readonly socketDir: string;
  readonly listen: string;
  readonly status: string;
};

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // missing files are normal states (stopped server, fresh directory)
  }
}

export function readPostmasterPid(dataDir: string): PostmasterPid | undefined {
  const text = readText(join(dataDir, 'postmaster.pid'));
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return {
    pid, dataDir: lines[1] ?? dataDir, port: Number(lines[3] ?? 0), socketDir: (lines[4] ?? '').trim(),
    listen: (lines[5] ?? '').trim(), status: (lines[7] ?? '').trim(),
  };
}

export function runningServer(dataDir: string): PostmasterPid | undefined {
  const info = readPostmasterPid(dataDir);
  return info && isAlive(info.pid) ? info : undefined;
}

export function readMode(dataDir: string): ServerMode {
  return parseServerMode((readText(join(dataDir, 'og_mode')) ?? '').trim()) ?? 'normal';
}

export function writeMode(dataDir: string, mode: ServerMode): void {
  writeFileSync(join(dataDir, 'og_mode'), `${mode}\n`);
}

export function readTermFile(dataDir: string): number {
  try {
    const bytes = readFileSync(join(dataDir, 'term_file'));
    return bytes.length >= 4 ? bytes.readUInt32LE(0) : 0;
  } catch {
    return 0; // no term recorded yet
  }
}

export function writeTermFile(dataDir: string, term: number): void {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(term >>> 0, 0);
  writeFileSync(join(dataDir, 'term_file'), bytes);
}

export function readOgConf(dataDir: string): Map<string, ConfEntry> {
  return parseConf(readText(join(dataDir, 'postgresql.conf')) ?? '');
}

export type ReplCredentials = { readonly user: string; readonly passfile: string };

// The replication identity: the first pgpass line written by gs_initdb (the initial user and password).
export function replCredentials(dataDir: string): ReplCredentials {
  const passfile = join(dataDir, 'og_replpass');
  const first = (readText(passfile) ?? '').split('\n')[0] ?? '';
  const user = first.split(':')[3];
  return { user: user || osUser(), passfile };
}

export function writeReplPassfile(dataDir: string, user: string, password: string): void {
  const escape = (v: string): string => v.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
  writeFileSync(join(dataDir, 'og_replpass'), `*:*:*:${escape(user)}:${escape(password)}\n`, { mode: 0o600 });
}

export function replPassword(dataDir: string): string | undefined {
  const first = (readText(join(dataDir, 'og_replpass')) ?? '').split('\n')[0] ?? '';
  const fields = first.split(/(?<!\\):/);
  return fields[4]?.replace(/\\(.)/g, '$1');
}

export function readLogFilePath(dataDir: string): string | undefined {
  return readText(join(dataDir, 'og_logfile'))?.trim() || undefined;
}

export function writeLogFilePath(dataDir: string, path: string): void {
  writeFileSync(join(dataDir, 'og_logfile'), `${path}\n`);
}

// pg_ctl.lock serialises start, restart, build, failover and switchover (§1). A lock left by a dead
// process is taken over.
export function tryLock(dataDir: string): boolean {
  const path = join(dataDir, 'pg_ctl.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, 'wx');
      writeFileSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return true;
    } catch {
      const owner = Number((readText(path) ?? '').trim());
      if (owner > 0 && owner !== process.pid && isAlive(owner)) return false;
      rmSync(path, { force: true });
    }
  }
  return false;
}

export function unlock(dataDir: string): void {
  const path = join(dataDir, 'pg_ctl.lock');
  if (Number((readText(path) ?? '').trim()) === process.pid) rmSync(path, { force: true });
}

export function hasPgVersion(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION'));
}

export { readText };
