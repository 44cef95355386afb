// Promotion and role bookkeeping shared by failover, switchover and notify: the term (term_file plus
// the replicated og_compat.term_state row, opengauss.md §3) and the role the instance now reports.
import type { ServerMode } from '../core/server-mode.ts';
import { readMode, readTermFile, writeMode, writeTermFile, type PostmasterPid } from './datadir.ts';
import { signal, sleepMs } from './proc.ts';
import { queryValue, runSql } from './psql.ts';
import { deriveConfig, ensureSyncWatcher, localConnection } from './server.ts';

// Same rule as openGauss: the term written is -T unless the file already holds a larger one.
export function recordTerm(dataDir: string, requested: number): number {
  const term = Math.max(requested, readTermFile(dataDir));
  writeTermFile(dataDir, term);
  return term;
}

// Replicates the term to standbys. synchronous_commit=local: no standby may be connected yet.
export function publishTerm(info: PostmasterPid, term: number): void {
  runSql(localConnection(info), `BEGIN; SET LOCAL synchronous_commit = local; UPDATE og_compat.term_state SET term = greatest(term, ${term}); COMMIT;`);
}

// Rewrites og_pg.conf for the new role and reloads: og.mode, primary_conninfo, sync names.
export function switchRole(dataDir: string, info: PostmasterPid, mode: ServerMode): void {
  const config = deriveConfig(dataDir, mode);
  writeMode(dataDir, mode);
  signal(info.pid, 'SIGHUP');
  ensureSyncWatcher(dataDir, config);
}

export function inRecovery(info: PostmasterPid): boolean | undefined {
  const value = queryValue(localConnection(info), 'SELECT pg_catalog.pg_is_in_recovery()');
  return value === undefined ? undefined : value === 't';
}

// Asks PostgreSQL to promote without waiting, then polls so the caller can print progress.
export function promoteAndWait(info: PostmasterPid, timeoutMs: number, onSecond: () => void): boolean {
  queryValue(localConnection(info), 'SELECT pg_catalog.pg_promote(false)');
  const deadline = Date.now() + timeoutMs;
  let nextTick = Date.now() + 1000;
  while (Date.now() < deadline) {
    if (inRecovery(info) === false) return true;
    if (Date.now() >= nextTick) {
      onSecond();
      nextTick += 1000;
    }
    sleepMs(100);
  }
  return false;
}

export function currentMode(dataDir: string): ServerMode {
  return readMode(dataDir);
}
