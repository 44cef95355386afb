// replconninfoN values (opengauss.md §4.1) and the PostgreSQL primary_conninfo built from them (§10.3).
export type ReplConnInfo = {
  readonly localhost?: string;
  readonly localport?: number;
  readonly remotehost?: string;
  readonly remoteport?: number;
  readonly iscascade: boolean;
};

function keyValue(channel: string, key: string): string | undefined {
  // openGauss locates keys by substring search; `localport=` never matches inside `localheartbeatport=`.
  const at = channel.indexOf(`${key}=`);
  if (at < 0) return undefined;
  const rest = channel.slice(at + key.length + 1);
  const value = /^[^\s,]*/.exec(rest)?.[0] ?? '';
  return value === '' ? undefined : value;
}

function keyPort(channel: string, key: string): number | undefined {
  const value = keyValue(channel, key);
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

export function parseReplConnInfo(value: string): ReplConnInfo | undefined {
  const channel = value.split(',')[0] ?? '';
  if (channel.trim() === '') return undefined;
  const entry: { -readonly [K in keyof ReplConnInfo]: ReplConnInfo[K] } = { iscascade: /iscascade=true/.test(channel) };
  const localhost = keyValue(channel, 'localhost');
  const remotehost = keyValue(channel, 'remotehost');
  const localport = keyPort(channel, 'localport');
  const remoteport = keyPort(channel, 'remoteport');
  if (localhost !== undefined) entry.localhost = localhost;
  if (remotehost !== undefined) entry.remotehost = remotehost;
  if (localport !== undefined) entry.localport = localport;
  if (remoteport !== undefined) entry.remoteport = remoteport;
  return entry;
}

export type Peer = { readonly host: string; readonly port: number };

// PostgreSQL has no HA port: a peer's server port is its remoteport minus the offset this node uses
// between its own port and its localport (1 for the P+1 convention, 2 for the 1.0 operator's P+2).
export function peerOf(entry: ReplConnInfo, localPgPort: number): Peer | undefined {
  if (entry.remotehost === undefined || entry.remoteport === undefined) return undefined;
  const offset = entry.localport !== undefined && entry.localport > localPgPort ? entry.localport - localPgPort : 1;
  return { host: entry.remotehost, port: entry.remoteport - offset };
}

export function peersOf(entries: readonly ReplConnInfo[], localPgPort: number): Peer[] {
  const peers: Peer[] = [];
  for (const entry of entries) {
    const peer = peerOf(entry, localPgPort);
    if (peer && !peers.some((p) => p.host === peer.host && p.port === peer.port)) peers.push(peer);
  }
  return peers;
}

export type ConnInfoOptions = {
  readonly user: string;
  readonly passfile: string;
  readonly applicationName: string;
  readonly readWriteOnly: boolean;
};

function quoteConnValue(value: string): string {
  return /^[^\s'\\]+$/.test(value) ? value : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

// One multi-host conninfo: with target_session_attrs=read-write the walreceiver skips standbys and
// peers that refuse the connection, and follows whichever peer is the primary (tested on PostgreSQL
// 15, opengauss.md §10.3). libpq stops at a peer that rejects it at authentication, though: see
// renderChannelConnInfos.
export function renderPrimaryConnInfo(peers: readonly Peer[], options: ConnInfoOptions): string {
  if (peers.length === 0) return '';
  const parts = [
    `host=${peers.map((p) => p.host).join(',')}`,
    `port=${peers.map((p) => String(p.port)).join(',')}`,
    `user=${quoteConnValue(options.user)}`,
    `passfile=${quoteConnValue(options.passfile)}`,
    `application_name=${quoteConnValue(options.applicationName)}`,
    `target_session_attrs=${options.readWriteOnly ? 'read-write' : 'any'}`,
    'connect_timeout=2',
  ];
  return parts.join(' ');
}

// Every rotation of the peer order, the replconninfo order first. openGauss's walreceiver cycles
// through its channels until one is the primary, whatever the others answer; libpq gives up at the
// first peer that rejects it at authentication (pg_hba, password). The engine's channel tick
// (sql/og_compat.sql channel_tick) moves primary_conninfo to the next rotation while the walreceiver
// is not streaming, so each peer in turn is tried first. Empty with fewer than two peers.
export function renderChannelConnInfos(peers: readonly Peer[], options: ConnInfoOptions): string[] {
  if (peers.length < 2) return [];
  return peers.map((_, k) => renderPrimaryConnInfo([...peers.slice(k), ...peers.slice(0, k)], options));
}
