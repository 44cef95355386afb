// gs_ctl start, stop, restart, reload, status (opengauss.md §2.2).
import { join } from 'node:path';
import type { ServerMode } from '../core/server-mode.ts';
import { missingPidFile, type GsCtlContext } from './gs-ctl-context.ts';
import { readMode, readOgConf, readPostmasterPid, runningServer, tryLock, unlock } from './datadir.ts';
import { isAlive, signal } from './proc.ts';
import { deriveConfig, ensureSyncWatcher, prepareServer, promoteLocal, spawnServer, stopServer, waitForServer } from './server.ts';
import { writeRaw } from './tool-log.ts';

// gs_ctl -o "…" words, with openGauss-only -c names moved to og.* so PostgreSQL accepts them.
function serverArgsOf(options: string | undefined): string[] {
  const words = (options ?? '').match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  return words.map((w) => w.replace(/^(["'])(.*)\1$/, '$2'));
}

function dualModeProblem(dataDir: string, mode: ServerMode): boolean {
  if (mode === 'normal') return false;
  const conf = readOgConf(dataDir);
  return conf.get('wal_level')?.value === 'minimal' || Number(conf.get('max_wal_senders')?.value ?? '16') < 1;
}

function printDot(): void {
  writeRaw('.');
}

// Starts the server in `mode`; shared by start, restart and build. Returns the gs_ctl exit code.
export function startServer(ctx: GsCtlContext, mode: ServerMode): number {
  const { dataDir, log, options } = ctx;
  if (dualModeProblem(dataDir, mode)) {
    log.info('when starting as dual mode, we must ensure wal_level was not "minimal" and max_wal_senders was set at least 1');
    return 1;
  }
  const prepared = prepareServer(dataDir, mode, serverArgsOf(options.serverOptions));
  const pid = spawnServer(dataDir, prepared, options.logFile);
  if (!options.wait) {
    log.quiet('server starting', true);
    ensureSyncWatcher(dataDir, prepared.config);
    return 0;
  }
  log.quiet('waiting for server to start...', true);
  const outcome = waitForServer(dataDir, pid, options.timeoutSeconds * 1000, options.silent ? () => undefined : printDot);
  if (!options.silent) writeRaw('\n');
  if (outcome === 'died') {
    log.info('could not start server');
    log.info('Examine the log output.');
    return 1;
  }
  if (outcome === 'timeout') {
    log.info('stopped waiting');
    log.info('server is still starting up');
    return 0;
  }
  const info = readPostmasterPid(dataDir);
  if (prepared.promoteAfterStart && info) promoteLocal(info, options.timeoutSeconds);
  ensureSyncWatcher(dataDir, prepared.config);
  log.quiet(' done', true);
  log.quiet(`server started (${dataDir})`, true);
  return 0;
}

export function gsCtlStart(ctx: GsCtlContext): number {
  ctx.log.info(`gs_ctl started,datadir is ${ctx.dataDir} `);
  if (!tryLock(ctx.dataDir)) {
    ctx.log.info('Another gs_ctl command is still running,start failed !');
    return 0;
  }
  try {
    if (runningServer(ctx.dataDir)) {
      ctx.log.info(' another server might be running; Please use the restart command');
      return 0;
    }
    return startServer(ctx, ctx.options.serverMode ?? 'normal');
  } finally {
    unlock(ctx.dataDir);
  }
}

// Stops a running server; `quietMissing` is for restart, which goes on without one.
export function stopRunning(ctx: GsCtlContext, immediate: boolean): number {
  const { dataDir, log, options } = ctx;
  const info = runningServer(dataDir);
  if (!info) return immediate ? 0 : missingPidFile(ctx);
  log.quiet('waiting for server to shut down...', true);
  const outcome = stopServer(info, immediate, options.timeoutSeconds * 1000, options.silent ? () => undefined : () => writeRaw('.'));
  if (outcome === 'timeout') {
    if (immediate) {
      signal(info.pid, 'SIGKILL');
      if (!options.silent) writeRaw('\n');
      log.quiet('server stopped', true);
      return 0;
    }
    if (!options.silent) writeRaw('\n');
    log.info(' failed');
    log.info(` server does not shut down (${dataDir})`);
    return 1;
  }
  if (!options.silent) writeRaw('\n');
  log.quiet(' done', true);
  log.quiet('server stopped', true);
  return 0;
}

export function gsCtlStop(ctx: GsCtlContext): number {
  ctx.log.info(`gs_ctl stopped ,datadir is ${ctx.dataDir} `);
  if (ctx.options.shutdownMode === 'smart') {
    ctx.log.info(' unrecognized shutdown mode "smart"');
    return 1;
  }
  const immediate = ctx.options.shutdownMode === 'immediate';
  if (!runningServer(ctx.dataDir) && immediate) {
    killLeftovers(ctx.dataDir);
    ctx.log.quiet('server stopped', true);
    return 0;
  }
  return stopRunning(ctx, immediate);
}

// `stop -m immediate` without a live postmaster still kills what its pid file names (§2.2).
function killLeftovers(dataDir: string): void {
  const info = readPostmasterPid(dataDir);
  if (info && isAlive(info.pid)) signal(info.pid, 'SIGKILL');
}

export function gsCtlRestart(ctx: GsCtlContext): number {
  ctx.log.info(`gs_ctl restarted ,datadir is ${ctx.dataDir} `);
  if (ctx.options.shutdownMode === 'smart') {
    ctx.log.info(' unrecognized shutdown mode "smart"');
    return 1;
  }
  if (!tryLock(ctx.dataDir)) {
    ctx.log.info('Another gs_ctl command is still running,restart failed !');
    return 0;
  }
  try {
    // The old -M is kept unless a new one is given (§2.2).
    const mode = ctx.options.serverMode ?? readMode(ctx.dataDir);
    if (runningServer(ctx.dataDir)) {
      const stopped = stopRunning(ctx, ctx.options.shutdownMode === 'immediate');
      if (stopped !== 0) return stopped;
    } else {
      ctx.log.info(` PID file "${ctx.dataDir}/postmaster.pid" does not exist.`);
      ctx.log.info('Is server running?');
      ctx.log.info('starting server anyway');
    }
    return startServer(ctx, mode);
  } finally {
    unlock(ctx.dataDir);
  }
}

export function gsCtlReload(ctx: GsCtlContext): number {
  ctx.log.info(`gs_ctl reload ,datadir is ${ctx.dataDir} `);
  const info = runningServer(ctx.dataDir);
  if (!info) return missingPidFile(ctx);
  const config = deriveConfig(ctx.dataDir, readMode(ctx.dataDir));
  signal(info.pid, 'SIGHUP');
  ensureSyncWatcher(ctx.dataDir, config);
  ctx.log.quiet('server signaled');
  return 0;
}

export function gsCtlStatus(ctx: GsCtlContext): number {
  ctx.log.info(`gs_ctl status,datadir is ${ctx.dataDir} `);
  const info = runningServer(ctx.dataDir);
  if (!info) {
    ctx.log.info('no server running');
    return 3;
  }
  const mode = readMode(ctx.dataDir);
  const gaussdb = join(process.env['GAUSSHOME'] ?? '/usr/local/opengauss', 'bin', 'gaussdb');
  ctx.log.raw(`gs_ctl: server is running (PID: ${info.pid})`);
  ctx.log.raw(`${gaussdb} "-D" "${ctx.dataDir}"${mode === 'normal' ? '' : ` "-M" "${mode}"`}`);
  return 0;
}

