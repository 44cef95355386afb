// gs_ctl failover, switchover and notify (opengauss.md §2.5, §10.5).
import { roleName, type ServerMode } from '../core/server-mode.ts';
import { readMode, replCredentials, replPassword, runningServer, tryLock, unlock, type PostmasterPid } from './datadir.ts';
import { missingPidFile, type GsCtlContext } from './gs-ctl-context.ts';
import { sourceBindingEnv } from './native.ts';
import { sleepMs } from './proc.ts';
import { inRecovery, promoteAndWait, publishTerm, recordTerm, switchRole } from './promotion.ts';
import { queryValue, runSql, type Connection } from './psql.ts';
import { deriveConfig, localConnection, sourceIpOf } from './server.ts';
import { writeRaw } from './tool-log.ts';

function withLock(ctx: GsCtlContext, verb: string, body: (info: PostmasterPid) => number): number {
  if (!tryLock(ctx.dataDir)) {
    ctx.log.info(`Another gs_ctl command is still running,${verb} failed !`);
    return 1;
  }
  try {
    const info = runningServer(ctx.dataDir);
    return info ? body(info) : missingPidFile(ctx);
  } finally {
    unlock(ctx.dataDir);
  }
}

function isStandbyRole(mode: ServerMode): boolean {
  return mode === 'standby' || mode === 'cascade_standby';
}

function finishPromotion(ctx: GsCtlContext, info: PostmasterPid, term: number): void {
  switchRole(ctx.dataDir, info, 'primary');
  publishTerm(info, term);
}

export function gsCtlFailover(ctx: GsCtlContext): number {
  ctx.log.info(`gs_ctl failover ,datadir is ${ctx.dataDir} `);
  return withLock(ctx, 'failover', (info) => {
    const mode = readMode(ctx.dataDir);
    if (mode === 'primary' && inRecovery(info) === false) {
      ctx.log.info(` failover completed (${ctx.dataDir})`);
      return 0;
    }
    if (!isStandbyRole(mode)) {
      ctx.log.info(' cannot failover server; server is not in standby or cascade standby mode');
      return 1;
    }
    // No fencing and no check that the primary is down, as in openGauss.
    const term = recordTerm(ctx.dataDir, ctx.options.term);
    ctx.log.info(`failover term (${term})`);
    ctx.log.info(' waiting for server to failover...');
    const promoted = promoteAndWait(info, ctx.options.timeoutSeconds * 1000, () => writeRaw('.'));
    writeRaw('\n');
    if (!promoted) {
      ctx.log.info(' failed');
      ctx.log.info(` failover failed (${ctx.dataDir})`);
      return 1;
    }
    finishPromotion(ctx, info, term);
    ctx.log.info(' done');
    ctx.log.info(` failover completed (${ctx.dataDir})`);
    return 0;
  });
}

type Primary = { readonly conn: Connection };

// The primary this standby streams from, reached with the replication credentials.
function currentPrimary(ctx: GsCtlContext, info: PostmasterPid): Primary | undefined {
  const sender = queryValue(localConnection(info), "SELECT sender_host || ',' || sender_port FROM pg_catalog.pg_stat_wal_receiver WHERE status = 'streaming'");
  const [host, port] = (sender ?? '').split(',');
  if (!host || !port) return undefined;
  const password = replPassword(ctx.dataDir);
  const config = deriveConfig(ctx.dataDir, readMode(ctx.dataDir));
  const conn: Connection = {
    host, port: Number(port), user: replCredentials(ctx.dataDir).user, env: sourceBindingEnv(sourceIpOf(config)), timeoutSeconds: 3,
    ...(password === undefined ? {} : { password }),
  };
  return { conn };
}

// The old primary demotes itself with `gs_ctl restart -M standby -m fast`, started on its own host
// through COPY TO PROGRAM (only it can reach its files). setsid takes it out of the backend's process
// group, which the shutdown signals.
const demoteSql = `DO $$ BEGIN EXECUTE format('COPY (SELECT 1) TO PROGRAM %L', format('setsid -f %s/bin/gs_ctl restart -D %s -M standby -m fast >> %s/og_demote.log 2>&1 < /dev/null', current_setting('og.engine_dir'), current_setting('data_directory'), current_setting('data_directory'))); END $$`;

type Progress = { readonly lsnBefore: string };

// Waits until the walreceiver has stopped after receiving the old primary's shutdown checkpoint
// (§10.5 step 2), or has been gone for 3 s.
function waitForOldPrimaryStop(info: PostmasterPid, progress: Progress, deadline: number): boolean {
  let goneSince: number | undefined;
  while (Date.now() < deadline) {
    const row = queryValue(localConnection(info), `SELECT coalesce((SELECT status FROM pg_catalog.pg_stat_wal_receiver), 'none') || ',' || (pg_catalog.pg_last_wal_receive_lsn() > '${progress.lsnBefore}'::pg_lsn)::text`);
    const [status, passed] = (row ?? '').split(',');
    if (status !== 'streaming') {
      goneSince ??= Date.now();
      if (passed === 'true' || Date.now() - goneSince > 3000) return true;
    } else goneSince = undefined;
    sleepMs(100);
    writeRaw('.');
  }
  return false;
}

function switchoverTimeout(ctx: GsCtlContext): number {
  writeRaw('\n');
  ctx.log.info(` switchover timeout after ${ctx.options.timeoutSeconds} seconds. please manually check the cluster status.`);
  return 0; // a timeout still exits 0 (§2.5)
}

export function gsCtlSwitchover(ctx: GsCtlContext): number {
  ctx.log.info(`gs_ctl switchover ,datadir is ${ctx.dataDir} `);
  if (ctx.options.shutdownMode !== 'fast') {
    ctx.log.info('datanode does not support smart or immediate switchover');
    return 1;
  }
  return withLock(ctx, 'switchover', (info) => switchover(ctx, info));
}

function switchover(ctx: GsCtlContext, info: PostmasterPid): number {
  const mode = readMode(ctx.dataDir);
  if (mode === 'primary' && inRecovery(info) === false) {
    ctx.log.info(`switchover completed (${ctx.dataDir})`);
    return 0;
  }
  if (!isStandbyRole(mode)) {
    ctx.log.info(' cannot switchover server; server is not in standby or cascade standby mode');
    return 1;
  }
  const term = recordTerm(ctx.dataDir, ctx.options.term);
  ctx.log.info(`switchover term (${term})`);
  ctx.log.begin('waiting for server to switchover...');
  const deadline = Date.now() + ctx.options.timeoutSeconds * 1000;
  const primary = currentPrimary(ctx, info);
  const lsnBefore = primary ? queryValue(primary.conn, 'SELECT pg_catalog.pg_current_wal_lsn()') : undefined;
  if (!primary || !lsnBefore || runSql(primary.conn, demoteSql).code !== 0) return switchoverTimeout(ctx);
  if (!waitForOldPrimaryStop(info, { lsnBefore }, deadline)) return switchoverTimeout(ctx);
  if (!promoteAndWait(info, Math.max(1000, deadline - Date.now()), () => writeRaw('.'))) return switchoverTimeout(ctx);
  finishPromotion(ctx, info, term);
  writeRaw('\n');
  ctx.log.info('done');
  ctx.log.info(`switchover completed (${ctx.dataDir})`);
  return 0;
}

export function gsCtlNotify(ctx: GsCtlContext): number {
  ctx.log.info(`gs_ctl notify ,datadir is ${ctx.dataDir} `);
  const target = ctx.options.serverMode;
  const info = runningServer(ctx.dataDir);
  if (!info) return missingPidFile(ctx);
  const mode = readMode(ctx.dataDir);
  if (!target || !(mode === 'pending' || (mode === 'normal' && target === 'primary')) || target === 'pending' || target === 'normal') {
    ctx.log.info(' only support notify server in pending mode; or notify server to primary in normal mode');
    return 1;
  }
  if (target === 'primary') {
    const term = recordTerm(ctx.dataDir, ctx.options.term);
    ctx.log.info(`notify primary term (${term})`);
    if (inRecovery(info)) queryValue(localConnection(info), 'SELECT pg_catalog.pg_promote(false)');
  }
  switchRole(ctx.dataDir, info, target);
  if (!ctx.options.wait) return 0;
  return waitForRole(ctx, info, roleName(target));
}

function waitForRole(ctx: GsCtlContext, info: PostmasterPid, wanted: string): number {
  ctx.log.info('waiting for server to response...');
  const deadline = Date.now() + ctx.options.timeoutSeconds * 1000;
  let current: string;
  do {
    current = queryValue(localConnection(info), 'SELECT og_compat.local_role()') ?? '';
    if (current === wanted) {
      if (wanted === 'Primary') publishTerm(info, recordTerm(ctx.dataDir, ctx.options.term));
      ctx.log.info('done');
      ctx.log.info(`notify server completed, mode change to ${wanted}`);
      return 0;
    }
    sleepMs(100);
  } while (Date.now() < deadline);
  ctx.log.info('failed');
  ctx.log.info(` notify server failed, notify ${wanted}, current is ${current || 'Unknown'}`);
  return 1;
}
