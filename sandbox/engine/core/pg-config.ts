// Derives PostgreSQL 15's configuration (og_pg.conf) from the openGauss-flavoured postgresql.conf
// (opengauss.md §10.1–§10.3). PostgreSQL refuses unknown names, so openGauss-only ones become `og.<name>`
// (readable with current_setting), and openGauss values PostgreSQL rejects are translated.
import { quoteConfValue, type ConfEntry } from './conf-file.ts';
import { isPgGuc } from './guc-catalog.ts';
import { channelFileName, channelRetrySeconds } from './channel-cycle.ts';
import { parseReplConnInfo, peersOf, renderChannelConnInfos, renderPrimaryConnInfo, type Peer, type ReplConnInfo } from './replconninfo.ts';
import { isStandbyMode, type ServerMode } from './server-mode.ts';
import { parseSyncStandbyNames } from './sync-standby-names.ts';

export type PgConfigInput = {
  readonly entries: ReadonlyMap<string, ConfEntry>;
  readonly mode: ServerMode;
  readonly dataDir: string;
  readonly podIp: string | undefined;
  readonly pgHostEnv: string | undefined;
  readonly replUser: string;
  readonly engineDir: string;
};

export type PgConfig = {
  readonly text: string;
  readonly port: number;
  readonly socketDir: string;
  readonly listenAddresses: readonly string[];
  readonly replConnInfos: readonly ReplConnInfo[];
  readonly peers: readonly Peer[];
  readonly applicationName: string;
  // The rotations of primary_conninfo the channel tick cycles through (empty: no cycling).
  readonly channelConnInfos: readonly string[];
};

// Sandbox defaults, overridable by postgresql.conf: small memory, openGauss's 6 s sender timeout,
// fast reconnects and position reports so gs_ctl query and switchover see fresh LSNs.
const engineDefaults: readonly (readonly [string, string])[] = [
  ['shared_buffers', '32MB'], ['max_wal_senders', '16'], ['hot_standby', 'on'], ['wal_sender_timeout', '6s'],
  ['wal_receiver_status_interval', '1s'], ['wal_retrieve_retry_interval', '1s'], ['wal_keep_size', '256MB'],
  ['logging_collector', 'off'], ['log_directory', 'pg_log'], ['log_line_prefix', '%m [%p] '], ['dynamic_shared_memory_type', 'posix'],
];

// PostgreSQL names the engine sets itself or that openGauss values would break.
const engineOwned = new Set([
  'config_file', 'hba_file', 'ident_file', 'data_directory', 'external_pid_file', 'unix_socket_directories',
  'listen_addresses', 'primary_conninfo', 'primary_slot_name', 'shared_preload_libraries', 'full_page_writes',
  'wal_log_hints', 'synchronous_standby_names', 'include', 'include_if_exists', 'include_dir',
]);

const portableLocales = new Set(['c', 'posix', 'c.utf-8', 'c.utf8']);

type Line = readonly [string, string];

function translatePgValue(name: string, value: string): string {
  if (name === 'synchronous_commit' && value.toLowerCase() === 'remote_receive') return 'remote_write';
  if (name === 'wal_level' && ['hot_standby', 'archive'].includes(value.toLowerCase())) return 'replica';
  // Only C locales exist on the sandbox host; a missing lc_* locale would stop PostgreSQL.
  if (/^lc_(messages|monetary|numeric|time)$/.test(name) && !portableLocales.has(value.toLowerCase())) return 'C.UTF-8';
  return value;
}

function translateOgOnly(name: string, value: string): Line[] {
  if (name === 'wal_keep_segments' && /^\d+$/.test(value)) return [['wal_keep_size', `${Number(value) * 16}MB`]];
  if (name === 'password_encryption_type') return [['password_encryption', value.trim() === '0' ? 'md5' : 'scram-sha-256']];
  if (name === 'archive_dest' && value !== '') {
    const dir = value.replace(/'/g, '');
    return [['archive_command', `mkdir -p '${dir}' && test ! -f '${dir}/%f' && cp %p '${dir}/%f'`]];
  }
  return [];
}

function renderLine([name, value]: Line): string {
  return `${name} = ${quoteConfValue(value)}`;
}

function listenAddresses(entries: ReadonlyMap<string, ConfEntry>, podIp: string | undefined): string[] {
  const configured = entries.get('listen_addresses')?.value ?? 'localhost';
  const out: string[] = [];
  for (const word of configured.split(',').map((w) => w.trim()).filter((w) => w !== '')) {
    // Only loopback exists in the sandbox: a wildcard means the Pod IP (127.0.0.1 without one).
    const address = word === '*' || word === '0.0.0.0' ? (podIp ?? '127.0.0.1') : word;
    if (!out.includes(address)) out.push(address);
  }
  return out;
}

function socketDirOf(entries: ReadonlyMap<string, ConfEntry>, pgHostEnv: string | undefined): string {
  const fromConf = entries.get('unix_socket_directory')?.value ?? entries.get('unix_socket_directories')?.value.split(',')[0]?.trim();
  if (fromConf) return fromConf;
  // openGauss puts the socket in $PGHOST when unix_socket_directory is empty; /tmp otherwise.
  return pgHostEnv?.startsWith('/') ? pgHostEnv : '/tmp';
}

function replConnInfosOf(entries: ReadonlyMap<string, ConfEntry>): ReplConnInfo[] {
  const infos: ReplConnInfo[] = [];
  for (let n = 1; n <= 8; n += 1) {
    const parsed = parseReplConnInfo(entries.get(`replconninfo${n}`)?.value ?? '');
    if (parsed) infos.push(parsed);
  }
  return infos;
}

function userLines(entries: ReadonlyMap<string, ConfEntry>): { pg: Line[]; og: Line[] } {
  const pg: Line[] = [];
  const og: Line[] = [];
  for (const entry of entries.values()) {
    if (engineOwned.has(entry.name)) continue;
    if (isPgGuc(entry.name)) pg.push([entry.name, translatePgValue(entry.name, entry.value)]);
    else {
      pg.push(...translateOgOnly(entry.name, entry.value));
      og.push([`og.${entry.name}`, entry.value]);
    }
  }
  return { pg, og };
}

function syncLines(entries: ReadonlyMap<string, ConfEntry>, mode: ServerMode): Line[] {
  // A Normal instance never waits for standbys (§2.2).
  const configured = mode === 'normal' ? '' : (entries.get('synchronous_standby_names')?.value ?? '');
  const parsed = parseSyncStandbyNames(configured);
  return [
    ['synchronous_standby_names', configured],
    ['og.synchronous_standby_names', configured],
    ['og.sync_kind', parsed?.kind ?? ''],
    ['og.sync_num', String(parsed?.num ?? 0)],
    ['og.sync_list', parsed?.list ?? ''],
    ['og.sync_members', (parsed?.members ?? []).join(',')],
  ];
}

// For the channel tick (sql/og_compat.sql channel_tick): the rotations, rotation 0 being primary_conninfo.
function channelLines(conninfos: readonly string[]): Line[] {
  return [
    ['og.channel_count', String(conninfos.length)], ['og.channel_retry', String(channelRetrySeconds)],
    ...conninfos.map((c, k): Line => [`og.channel_conninfo${k}`, c]),
  ];
}

export function applicationNameOf(entries: ReadonlyMap<string, ConfEntry>): string {
  return entries.get('application_name')?.value || entries.get('pgxc_node_name')?.value || 'walreceiver';
}

export function buildPgConfig(input: PgConfigInput): PgConfig {
  const { entries, mode, dataDir } = input;
  const port = Number(entries.get('port')?.value ?? '5432') || 5432;
  const socketDir = socketDirOf(entries, input.pgHostEnv);
  const listen = listenAddresses(entries, input.podIp);
  const replConnInfos = replConnInfosOf(entries);
  const peers = peersOf(replConnInfos, port);
  const applicationName = applicationNameOf(entries);
  const streams = isStandbyMode(mode) && mode !== 'pending';
  const connOptions = { user: input.replUser, passfile: `${dataDir}/og_replpass`, applicationName, readWriteOnly: mode === 'standby' };
  const conninfo = streams ? renderPrimaryConnInfo(peers, connOptions) : '';
  const channelConnInfos = streams ? renderChannelConnInfos(peers, connOptions) : [];
  const { pg, og } = userLines(entries);
  const forced: Line[] = [
    ['hba_file', `${dataDir}/og_hba.conf`], ['ident_file', `${dataDir}/pg_ident.conf`],
    ['unix_socket_directories', socketDir], ['listen_addresses', listen.join(',')],
    // pg_rewind (incremental build) needs both, whatever openGauss's baseline says (§10.6).
    ['wal_log_hints', 'on'], ['full_page_writes', 'on'], ['primary_conninfo', conninfo],
    ...syncLines(entries, mode), ...channelLines(channelConnInfos), ['og.mode', mode], ['og.engine_dir', input.engineDir],
  ];
  const text = [
    '# Generated by the sandbox openGauss engine from postgresql.conf at every start and reload; do not edit.',
    ...engineDefaults.map(renderLine), ...pg.map(renderLine), ...og.map(renderLine), ...forced.map(renderLine),
    "include_if_exists = 'og_sync.conf'",
    `include_if_exists = '${channelFileName}'`,
    '',
  ].join('\n');
  return { text, port, socketDir, listenAddresses: listen, replConnInfos, peers, applicationName, channelConnInfos };
}
