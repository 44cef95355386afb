// gs_ctl build (opengauss.md §2.4, §10.3): full = pg_basebackup, incremental = pg_rewind, auto =
// incremental ×3 then full unless the source could not be reached. The local configuration survives.
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applicationNameOf } from '../core/pg-config.ts';
import { parseReplConnInfo, peerOf, type Peer } from '../core/replconninfo.ts';
import { roleName } from '../core/server-mode.ts';
import { restoreLocalConfig, saveLocalConfig, type SavedConfig } from './build-config.ts';
import { readMode, readOgConf, replCredentials, replPassword, runningServer, tryLock, unlock } from './datadir.ts';
import type { GsCtlContext } from './gs-ctl-context.ts';
import { startServer, stopRunning } from './gs-ctl-lifecycle.ts';
import { sourceBindingEnv } from './native.ts';
import { pgBin } from './paths.ts';
import { run } from './proc.ts';
import { queryValue } from './psql.ts';
import { deriveConfig, sourceIpOf } from './server.ts';

type Source = { readonly peer: Peer; readonly haPort: number };
type Attempt = { readonly ok: true } | { readonly ok: false; readonly connection: boolean; readonly message: string };

function bannerOf(ctx: GsCtlContext): string {
  const { buildMode, connector } = ctx.options;
  const label = buildMode === 'full' ? 'gs_ctl full build' : buildMode === 'standby_full' ? 'gs_ctl standby full build' : 'gs_ctl incremental build';
  return `${label} ,datadir is ${ctx.dataDir}${connector ? `,conn_str is '${connector}'` : ''}`;
}

function writeState(dataDir: string, state: string, mode: string): void {
  writeFileSync(join(dataDir, 'gaussdb.state'), `db_state=${state}\nbuild_mode=${mode}\nbuild_pid=${state === 'Build failed' ? -1 : process.pid}\n`);
}

function candidatePeers(ctx: GsCtlContext, localPort: number): Source[] | undefined {
  const values = ctx.options.connector ? [ctx.options.connector] : [...readOgConf(ctx.dataDir).entries()].filter(([k]) => /^replconninfo\d+$/.test(k)).map(([, e]) => e.value);
  const out: Source[] = [];
  for (const value of values) {
    const entry = parseReplConnInfo(value);
    const peer = entry && peerOf(entry, localPort);
    if (entry && peer) out.push({ peer, haPort: entry.remoteport ?? peer.port + 1 });
  }
  return out.length === 0 ? undefined : out;
}

function connEnv(ctx: GsCtlContext, sourceIp: string | undefined): NodeJS.ProcessEnv {
  const password = replPassword(ctx.dataDir);
  return { ...process.env, ...sourceBindingEnv(sourceIp), ...(password === undefined ? {} : { PGPASSWORD: password }) };
}

// The first peer answering Primary or Normal with a term not below -T (standby_full takes -C as is).
function findSource(ctx: GsCtlContext, sources: readonly Source[], user: string, sourceIp: string | undefined): Source | undefined {
  const env = sourceBindingEnv(sourceIp);
  const password = replPassword(ctx.dataDir);
  for (const source of sources) {
    const conn = { host: source.peer.host, port: source.peer.port, user, env, timeoutSeconds: 3, ...(password === undefined ? {} : { password }) };
    const answer = queryValue(conn, 'SELECT pg_catalog.pg_is_in_recovery()::text || \',\' || og_compat.current_term()');
    const [recovery, term] = (answer ?? '').split(',');
    const ok = answer !== undefined && (ctx.options.buildMode === 'standby_full' || recovery === 'false');
    ctx.log.info(`build try host(${source.peer.host}) port(${source.haPort}) ${ok ? 'success' : 'failed'}`);
    if (!ok) continue;
    if (Number(term) < ctx.options.term) {
      ctx.log.info(`the primary term ${Number(term)} is smaller than the standby term ${ctx.options.term}.`);
      continue;
    }
    return source;
  }
  return undefined;
}

function fullBuild(ctx: GsCtlContext, source: Source, user: string, env: NodeJS.ProcessEnv): Attempt {
  for (const name of readdirSync(ctx.dataDir)) if (name !== 'pg_ctl.lock') rmSync(join(ctx.dataDir, name), { recursive: true, force: true });
  rmSync(join(ctx.dataDir, 'pg_ctl.lock'), { force: true });
  const args = ['-D', ctx.dataDir, '-h', source.peer.host, '-p', String(source.peer.port), '-U', user, '-X', 'stream', '-c', 'fast', '--no-sync', '-w'];
  const result = run(pgBin('pg_basebackup'), args, { env });
  if (result.code === 0) return { ok: true };
  return { ok: false, connection: /could not connect|connection to server/.test(result.stderr), message: result.stderr.trim() };
}

// pg_rewind may run the target in single-user mode, which reads postgresql.conf: give it PostgreSQL's
// version of the configuration for the duration.
function incrementalBuild(ctx: GsCtlContext, source: Source, user: string, env: NodeJS.ProcessEnv, saved: SavedConfig): Attempt {
  deriveConfig(ctx.dataDir, 'standby');
  const pgConf = saved.has('postgresql.conf') ? join(ctx.dataDir, 'og_pg.conf') : undefined;
  if (pgConf) writeFileSync(join(ctx.dataDir, 'postgresql.conf'), readFileSync(pgConf));
  const sourceServer = `host=${source.peer.host} port=${source.peer.port} user=${user} dbname=postgres connect_timeout=3`;
  const result = run(pgBin('pg_rewind'), ['--target-pgdata', ctx.dataDir, '--source-server', sourceServer, '--no-sync'], { env });
  restoreLocalConfig(ctx.dataDir, saved);
  if (result.code === 0) return { ok: true };
  return { ok: false, connection: /could not connect|connection to server/.test(result.stderr), message: result.stderr.trim() };
}

function runBuild(ctx: GsCtlContext, source: Source, saved: SavedConfig, user: string, env: NodeJS.ProcessEnv): Attempt & { label?: string } {
  const mode = ctx.options.buildMode;
  if (mode === 'full' || mode === 'standby_full') return { ...fullBuild(ctx, source, user, env), label: 'full build' };
  let last: Attempt = { ok: false, connection: false, message: '' };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    last = incrementalBuild(ctx, source, user, env, saved);
    if (last.ok) return { ...last, label: 'incremental build' };
    if (last.connection) break;
  }
  if (mode === 'incremental') return last;
  if (!last.ok && last.connection) {
    ctx.log.info('inc build failed due to primary connection failure, skip full build.');
    return last;
  }
  return { ...fullBuild(ctx, source, user, env), label: 'full build' };
}

function precondition(ctx: GsCtlContext): number | undefined {
  if (ctx.options.connector || !runningServer(ctx.dataDir)) return undefined;
  const mode = readMode(ctx.dataDir);
  if (mode !== 'standby' && mode !== 'cascade_standby') {
    ctx.log.info(`The local server run as ${roleName(mode)},build cannot be executed.`);
    return 1;
  }
  return stopRunning(ctx, false) === 0 ? undefined : 1;
}

export function gsCtlBuild(ctx: GsCtlContext): number {
  ctx.log.setNodeName(applicationNameOf(readOgConf(ctx.dataDir)));
  ctx.log.info(bannerOf(ctx));
  if (!tryLock(ctx.dataDir)) {
    ctx.log.info('Another gs_ctl command is still running,build failed !');
    return 1;
  }
  try {
    return buildLocked(ctx);
  } finally {
    unlock(ctx.dataDir);
  }
}

function buildLocked(ctx: GsCtlContext): number {
  const refused = precondition(ctx);
  if (refused !== undefined) return refused;
  const config = deriveConfig(ctx.dataDir, 'standby');
  const sources = candidatePeers(ctx, config.port);
  if (!sources) {
    ctx.log.info(' invalid value for parameter "replconninfo" in postgresql.conf.');
    return 1;
  }
  const { user } = replCredentials(ctx.dataDir);
  const sourceIp = sourceIpOf(config);
  const source = findSource(ctx, sources, user, sourceIp);
  if (!source) {
    ctx.log.info('could not connect to server.');
    return 1;
  }
  ctx.log.info('connected to server success, build started.');
  const saved = saveLocalConfig(ctx.dataDir);
  writeState(ctx.dataDir, 'Building', ctx.options.buildMode === 'incremental' ? 'Incremental' : 'Full');
  const outcome = runBuild(ctx, source, saved, user, connEnv(ctx, sourceIp));
  restoreLocalConfig(ctx.dataDir, saved);
  if (!outcome.ok) {
    for (const line of outcome.message.split('\n').filter((l) => l !== '')) ctx.log.info(line);
    writeState(ctx.dataDir, 'Build failed', ctx.options.buildMode);
    ctx.log.info(`build failed(${ctx.dataDir}).`);
    return 1;
  }
  writeState(ctx.dataDir, 'Build completed', outcome.label ?? 'Full');
  ctx.log.info(`${outcome.label ?? 'full build'} build completed(${ctx.dataDir}).`);
  if (ctx.options.noStart) return 0;
  return startServer(ctx, ctx.options.serverMode ?? 'standby');
}
