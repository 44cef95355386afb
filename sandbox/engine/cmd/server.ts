// Starting and stopping PostgreSQL as an openGauss instance: derive og_pg.conf and og_hba.conf from
// the openGauss files, lay out the role files of the -M mode (§10.3), spawn, wait, stop.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { channelFileName, channelOverrideValid } from '../core/channel-cycle.ts';
import { buildPgHba } from '../core/hba.ts';
import { buildPgConfig, type PgConfig } from '../core/pg-config.ts';
import { isStandbyMode, type ServerMode } from '../core/server-mode.ts';
import { readOgConf, readPostmasterPid, readText, replCredentials, writeLogFilePath, writeMode, type PostmasterPid } from './datadir.ts';
import { sourceBindingEnv } from './native.ts';
import { engineDir, pgBin, podIp } from './paths.ts';
import { isAlive, osUser, signal, sleepMs } from './proc.ts';
import { queryValue, type Connection } from './psql.ts';

export function deriveConfig(dataDir: string, mode: ServerMode): PgConfig {
  const entries = readOgConf(dataDir);
  const creds = replCredentials(dataDir);
  const config = buildPgConfig({
    entries, mode, dataDir, podIp: podIp(), pgHostEnv: process.env['PGHOST'], replUser: creds.user, engineDir,
  });
  writeFileSync(join(dataDir, 'og_pg.conf'), config.text, { mode: 0o600 });
  writeFileSync(join(dataDir, 'og_hba.conf'), buildPgHba(readText(join(dataDir, 'pg_hba.conf')) ?? '', config.peers, creds.user), { mode: 0o600 });
  dropStaleChannelOverride(dataDir, config);
  return config;
}

// The channel tick's rotation (og_channel.conf) survives a reload only while it still belongs to the
// derived primary_conninfo: a role change (promotion, pending, Normal), new peers or a new
// application_name drop it, so its state never leaks into another role or peer list.
function dropStaleChannelOverride(dataDir: string, config: PgConfig): void {
  const path = join(dataDir, channelFileName);
  const text = readText(path);
  if (text !== undefined && !channelOverrideValid(text, config.channelConnInfos)) rmSync(path, { force: true });
}

// The address this instance's outgoing connections should come from (see native.ts).
export function sourceIpOf(config: PgConfig): string | undefined {
  return podIp() ?? config.listenAddresses.find((a) => a.startsWith('127.') && a !== '127.0.0.1') ?? config.replConnInfos[0]?.localhost;
}

export type PreparedServer = { readonly config: PgConfig; readonly args: string[]; readonly env: NodeJS.ProcessEnv; readonly promoteAfterStart: boolean };

// `serverArgs` are extra postgres arguments (gs_ctl -o, gaussdb -p/-c), already translated.
export function prepareServer(dataDir: string, mode: ServerMode, serverArgs: readonly string[]): PreparedServer {
  const config = deriveConfig(dataDir, mode);
  // Controller state never outlives the server: a start begins with the configured sync names and
  // the replconninfo order of peers, as a restarted openGauss walreceiver begins with channel 1.
  rmSync(join(dataDir, 'og_sync.conf'), { force: true });
  rmSync(join(dataDir, channelFileName), { force: true });
  const signalFile = join(dataDir, 'standby.signal');
  const wasStandby = existsSync(signalFile);
  // A primary start on a former standby starts it as a standby and promotes it: a new timeline is
  // safer than deleting standby.signal (§10.3). A Normal start drops the standby role (§2.2).
  if (isStandbyMode(mode)) writeFileSync(signalFile, '');
  else if (mode === 'normal') rmSync(signalFile, { force: true });
  writeMode(dataDir, mode);
  mkdirSync(config.socketDir, { recursive: true });
  const env = { ...process.env, ...sourceBindingEnv(sourceIpOf(config)) };
  const args = ['-D', dataDir, '-c', `config_file=${join(dataDir, 'og_pg.conf')}`, ...serverArgs];
  return { config, args, env, promoteAfterStart: mode === 'primary' && wasStandby };
}

function openServerLog(dataDir: string, logFile: string | undefined): { fd: number; path: string } {
  const path = logFile ?? join(dataDir, 'og_server.log');
  // Keep the default log bounded: it only serves divergence detection and post-mortems.
  if (logFile === undefined && existsSync(path) && statSync(path).size > 8 * 1024 * 1024) rmSync(path);
  return { fd: openSync(path, 'a', 0o600), path };
}

export function spawnServer(dataDir: string, prepared: PreparedServer, logFile: string | undefined): number {
  const log = openServerLog(dataDir, logFile);
  writeLogFilePath(dataDir, log.path);
  const child = spawn(pgBin('postgres'), prepared.args, { detached: true, stdio: ['ignore', log.fd, log.fd], env: prepared.env });
  closeSync(log.fd);
  child.unref();
  return child.pid ?? -1;
}

export type WaitOutcome = 'ready' | 'died' | 'timeout';

// Ready when postmaster.pid says "ready" or "standby" (a standby without a primary counts as started).
export function waitForServer(dataDir: string, pid: number, timeoutMs: number, onSecond: () => void): WaitOutcome {
  const deadline = Date.now() + timeoutMs;
  let nextTick = Date.now() + 1000;
  for (;;) {
    if (!isAlive(pid)) return 'died';
    const info = readPostmasterPid(dataDir);
    if (info?.pid === pid && (info.status === 'ready' || info.status === 'standby')) return 'ready';
    if (Date.now() >= deadline) return 'timeout';
    if (Date.now() >= nextTick) {
      onSecond();
      nextTick += 1000;
    }
    sleepMs(50);
  }
}

export function localConnection(info: PostmasterPid, user?: string, password?: string): Connection {
  const conn: Connection = { host: info.socketDir || '/tmp', port: info.port, user: user ?? osUser() };
  return password === undefined ? conn : { ...conn, password };
}

export function promoteLocal(info: PostmasterPid, waitSeconds: number): boolean {
  const result = queryValue({ ...localConnection(info), timeoutSeconds: waitSeconds }, `SELECT pg_catalog.pg_promote(true, ${Math.max(1, waitSeconds)})`);
  return result === 't';
}

export function isInRecovery(info: PostmasterPid): boolean | undefined {
  const value = queryValue(localConnection(info), 'SELECT pg_catalog.pg_is_in_recovery()');
  return value === undefined ? undefined : value === 't';
}

export type StopOutcome = 'stopped' | 'timeout';

export function stopServer(info: PostmasterPid, immediate: boolean, timeoutMs: number, onSecond: () => void): StopOutcome {
  signal(info.pid, immediate ? 'SIGQUIT' : 'SIGINT');
  const deadline = Date.now() + timeoutMs;
  let nextTick = Date.now() + 1000;
  while (isAlive(info.pid)) {
    if (Date.now() >= deadline) return 'timeout';
    if (Date.now() >= nextTick) {
      onSecond();
      nextTick += 1000;
    }
    sleepMs(50);
  }
  return 'stopped';
}

// The watcher runs og_compat.tick(): the most_available_sync controller on a primary, channel
// cycling on a standby with more than one peer.
function wantsWatcher(dataDir: string, config: PgConfig): boolean {
  return /^(on|true|yes|1)$/i.test(readOgConf(dataDir).get('most_available_sync')?.value ?? '') || config.channelConnInfos.length > 1;
}

function watcherAlive(dataDir: string): boolean {
  const current = Number((readText(join(dataDir, 'og_sync_watcher.pid')) ?? '').trim());
  return current > 0 && isAlive(current);
}

// Starts cmd/after-start.sh beside the server: the watcher (most_available_sync and channel cycling,
// unless one is alive) and, for the foreground gaussdb, the promotion of a former standby started
// with -M primary. It waits for the server itself, so it can be started before the server is.
export function startAfterStartHelper(dataDir: string, config: PgConfig, promote: boolean): void {
  const watch = wantsWatcher(dataDir, config) && !watcherAlive(dataDir);
  if (!watch && !promote) return;
  const args = [join(engineDir, 'cmd', 'after-start.sh'), dataDir, config.socketDir, String(config.port), osUser(), pgBin('psql'), promote ? 'promote' : '-', watch ? 'watch' : '-'];
  const child = spawn('/bin/sh', args, { detached: true, stdio: 'ignore', env: { ...process.env, PGAPPNAME: 'og_sync_watcher' } });
  child.unref();
}

export function ensureSyncWatcher(dataDir: string, config: PgConfig): void {
  startAfterStartHelper(dataDir, config, false);
}
