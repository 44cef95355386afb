// gs_ctl query and querybuild (opengauss.md §2.3, §2.4): the three result sets of openGauss's own
// statements, run on the og_compat functions, rendered byte for byte; divergence from the server log.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { detectDivergence } from '../core/divergence.ts';
import { renderFallbackQuery, renderQuerySections, type QueryRow, type QuerySections } from '../core/query-render.ts';
import { roleName } from '../core/server-mode.ts';
import { missingPidFile, type GsCtlContext } from './gs-ctl-context.ts';
import { readLogFilePath, readMode, readOgConf, readPostmasterPid, readText } from './datadir.ts';
import { isAlive } from './proc.ts';
import { queryJson } from './psql.ts';
import { localConnection } from './server.ts';
import { writeRaw } from './tool-log.ts';

const haColumns = 'local_role,static_connections,db_state,detail_information';
const senderColumns = 'sender_pid,local_role,peer_role,peer_state, state,sender_sent_location,sender_write_location, sender_flush_location,sender_replay_location, receiver_received_location,receiver_write_location, receiver_flush_location,receiver_replay_location, sync_percent,sync_state,sync_priority, sync_most_available,channel';
const receiverColumns = 'receiver_pid,local_role,peer_role,peer_state, state,sender_sent_location,sender_write_location, sender_flush_location,sender_replay_location, receiver_received_location,receiver_write_location, receiver_flush_location,receiver_replay_location, sync_percent,channel';

function resultSet(columns: string, fn: string): string {
  return `(SELECT coalesce(json_agg(t), '[]') FROM (SELECT ${columns} FROM og_compat.${fn}()) AS t)`;
}

const querySql = `SELECT json_build_object('ha', ${resultSet(haColumns, 'pg_stat_get_stream_replications')}, 'senders', ${resultSet(senderColumns, 'pg_stat_get_wal_senders')}, 'receivers', ${resultSet(receiverColumns, 'pg_stat_get_wal_receiver')})`;

type JsonRow = Record<string, string | number | boolean | null>;

function toRow(row: JsonRow): QueryRow {
  return Object.entries(row).map(([name, value]) => [name, value === null ? '' : String(value)] as const);
}

// The tail of the current server log: the -l file, or the newest logging_collector file.
function serverLogTail(dataDir: string): string {
  const files: string[] = [];
  const logFile = readLogFilePath(dataDir);
  if (logFile) files.push(logFile);
  const conf = readOgConf(dataDir);
  if (/^(on|true|yes|1)$/i.test(conf.get('logging_collector')?.value ?? '')) {
    const dir = conf.get('log_directory')?.value ?? 'pg_log';
    const abs = dir.startsWith('/') ? dir : join(dataDir, dir);
    const newest = existsSync(abs) ? readdirSync(abs).map((f) => join(abs, f)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0] : undefined;
    if (newest) files.push(newest);
  }
  return files.map((f) => tail(f, 256 * 1024)).join('\n');
}

function tail(path: string, bytes: number): string {
  try {
    const text = readFileSync(path, 'utf8');
    return text.length > bytes ? text.slice(-bytes) : text;
  } catch {
    return ''; // a missing log just means nothing to scan
  }
}

// PostgreSQL never reports a diverged standby; the log does (§10.6).
function withDivergence(dataDir: string, sections: QuerySections): QuerySections {
  const ha = sections.ha[0];
  const role = ha?.find(([n]) => n === 'local_role')?.[1];
  if (!ha || role === undefined || role === 'Primary' || role === 'Normal') return sections;
  const divergence = detectDivergence(serverLogTail(dataDir));
  if (!divergence) return sections;
  const patched = ha.map(([n, v]) => [n, n === 'db_state' ? 'Need repair' : n === 'detail_information' ? divergence : v] as const);
  return { ...sections, ha: [patched] };
}

function fallback(ctx: GsCtlContext, error: string): string {
  const mode = readMode(ctx.dataDir);
  const slots = [...readOgConf(ctx.dataDir).keys()].filter((k) => /^replconninfo\d+$/.test(k)).length;
  return renderFallbackQuery([
    ['local_role', roleName(mode)], ['static_connections', String(slots)], ['db_state', 'Unknown'],
    ['detail_information', error.split('\n')[0] ?? 'Access denied'], ['sync_mode', 'Async'],
  ]);
}

export function gsCtlQuery(ctx: GsCtlContext): number {
  ctx.log.info(`gs_ctl query ,datadir is ${ctx.dataDir} `);
  const info = readPostmasterPid(ctx.dataDir);
  if (!info) return missingPidFile(ctx);
  if (!isAlive(info.pid)) {
    ctx.log.info(` could not connect to the local server, the postmaster process ${info.pid} is not running`);
    return 1;
  }
  const result = queryJson<{ ha: JsonRow[]; senders: JsonRow[]; receivers: JsonRow[] }>(localConnection(info, ctx.options.user, ctx.options.password), querySql);
  if (!result.ok) {
    writeRaw(fallback(ctx, result.error));
    return 0; // a live process always exits 0 (§2.3)
  }
  const sections = { ha: result.value.ha.map(toRow), senders: result.value.senders.map(toRow), receivers: result.value.receivers.map(toRow) };
  writeRaw(renderQuerySections(withDivergence(ctx.dataDir, sections)));
  return 0;
}

// querybuild reports the last build recorded in gaussdb.state (§2.4).
export function gsCtlQueryBuild(ctx: GsCtlContext): number {
  ctx.log.info(`gs_ctl build query ,datadir is ${ctx.dataDir} `);
  const state = (readText(join(ctx.dataDir, 'gaussdb.state')) ?? '').trim();
  const lines = state.split('\n');
  const field = (name: string): string => lines.find((l) => l.startsWith(`${name}=`))?.slice(name.length + 1) ?? '';
  const dbState = field('db_state') || 'Normal';
  let out = ' HA state:\n';
  out += `        ${'local_role'.padEnd(30)}: ${roleName(readMode(ctx.dataDir))}\n`;
  out += `        ${'db_state'.padEnd(30)}: ${dbState}\n`;
  if (dbState === 'Building') {
    out += ' Build state:\n';
    out += `        ${'build_mode'.padEnd(30)}: ${field('build_mode')}\n`;
    out += `        ${'process_schedule'.padEnd(30)}: ${field('process_schedule') || '0'}%\n`;
    out += `        ${'estimated_remaining_time'.padEnd(30)}: 00:00:00\n`;
  }
  writeRaw(out);
  return Number(field('build_pid')) < 0 ? 1 : 0;
}
