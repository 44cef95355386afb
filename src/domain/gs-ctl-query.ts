// `gs_ctl query` output (opengauss.md §2.3) → HA state, senders and receivers, with LSNs as
// integers. Records are read per section and per blank-line-separated block, and each standby's IP
// comes from its own record's `channel` (2.0 zipped regex hits across the whole text, weakness 11).
// Both layouts parse: the normal one (TAB, name padded to 30, ` : `) and the fallback one printed
// when gs_ctl's SQL connection fails (8 spaces, `name: `).
import { parseLsn, type Lsn } from './lsn.ts';
import { parseError, parsed, type Parsed } from './parse-error.ts';

export type HaState = {
  readonly localRole: string;
  readonly staticConnections: number | undefined;
  readonly dbState: string;
  readonly detailInformation: string;
};

export type SenderInfo = {
  /** The standby's IP, from `channel` `<local>:<port>--><peer>:<port>`. */
  readonly peerIp: string | undefined;
  readonly peerRole: string;
  readonly peerState: string;
  readonly state: string;
  readonly sentLsn: Lsn | undefined;
  readonly receiverFlushLsn: Lsn | undefined;
  readonly receiverReplayLsn: Lsn | undefined;
  readonly syncState: string;
  readonly syncPriority: number | undefined;
  readonly syncPercent: number | undefined;
};

export type ReceiverInfo = {
  /** The primary's IP, from `channel` `<local>:<port><--<primary>:<port>`. */
  readonly primaryIp: string | undefined;
  readonly receivedLsn: Lsn | undefined;
  readonly flushLsn: Lsn | undefined;
  readonly replayLsn: Lsn | undefined;
  readonly state: string;
};

export type GsCtlQuery = {
  readonly ha: HaState;
  readonly senders: readonly SenderInfo[];
  readonly receivers: readonly ReceiverInfo[];
};

type Section = 'ha' | 'senders' | 'receivers' | 'other';
type Fields = ReadonlyMap<string, string>;

const PREFIX_RE = /^\[[^\]]*\]\[\d+\]\[[^\]]*\]\[gs_ctl\]: ?/;
const TITLE_RE = /^\s*(HA state|Senders info|Receiver info|Build state):\s*$/;
const FIELD_RE = /^\s*([A-Za-z_]+)\s*:\s?(.*?)\s*$/;
const titles: Readonly<Record<string, Section>> = { 'HA state': 'ha', 'Senders info': 'senders', 'Receiver info': 'receivers' };

function splitRecords(output: string): Map<Section, Fields[]> {
  const sections = new Map<Section, Fields[]>([['ha', []], ['senders', []], ['receivers', []], ['other', []]]);
  let section: Section = 'other';
  let current: Map<string, string> | undefined;
  const flush = (): void => {
    if (current !== undefined && current.size > 0) sections.get(section)?.push(current);
    current = undefined;
  };
  for (const raw of output.split(/\r?\n/)) {
    if (PREFIX_RE.test(raw)) continue;
    const title = TITLE_RE.exec(raw);
    if (title !== null) {
      flush();
      section = titles[title[1] ?? ''] ?? 'other';
      continue;
    }
    const field = raw.trim() === 'No information' ? null : FIELD_RE.exec(raw);
    if (field === null) {
      flush();
      continue;
    }
    current ??= new Map();
    current.set(field[1] ?? '', field[2] ?? '');
  }
  flush();
  return sections;
}

const lsnOf = (fields: Fields, name: string): Lsn | undefined => {
  const value = fields.get(name);
  if (value === undefined) return undefined;
  const lsn = parseLsn(value);
  return lsn.ok ? lsn.value : undefined;
};

const intOf = (text: string | undefined): number | undefined =>
  text !== undefined && /^\d+%?$/.test(text) ? Number.parseInt(text, 10) : undefined;

// `172.11.0.101:5433-->172.11.0.102:53786` (sender) or `…:43350<--172.11.0.101:5433` (receiver).
function channelPeer(channel: string | undefined, arrow: '-->' | '<--'): string | undefined {
  const peer = channel?.split(arrow)[1];
  if (peer === undefined) return undefined;
  const at = peer.lastIndexOf(':');
  const host = (at < 0 ? peer : peer.slice(0, at)).trim();
  return host === '' ? undefined : host;
}

function toSender(f: Fields): SenderInfo {
  return {
    peerIp: channelPeer(f.get('channel'), '-->'),
    peerRole: f.get('peer_role') ?? '',
    peerState: f.get('peer_state') ?? '',
    state: f.get('state') ?? '',
    sentLsn: lsnOf(f, 'sender_sent_location'),
    receiverFlushLsn: lsnOf(f, 'receiver_flush_location'),
    receiverReplayLsn: lsnOf(f, 'receiver_replay_location'),
    syncState: f.get('sync_state') ?? '',
    syncPriority: intOf(f.get('sync_priority')),
    syncPercent: intOf(f.get('sync_percent')),
  };
}

function toReceiver(f: Fields): ReceiverInfo {
  return {
    primaryIp: channelPeer(f.get('channel'), '<--'),
    receivedLsn: lsnOf(f, 'receiver_received_location'),
    flushLsn: lsnOf(f, 'receiver_flush_location'),
    replayLsn: lsnOf(f, 'receiver_replay_location'),
    state: f.get('state') ?? '',
  };
}

/** Parses `gs_ctl query` output. Fails only when the HA state block is missing its local_role. */
export function parseGsCtlQuery(output: string): Parsed<GsCtlQuery> {
  const sections = splitRecords(output);
  const ha = sections.get('ha')?.[0];
  const localRole = ha?.get('local_role');
  if (ha === undefined || localRole === undefined) return parseError('gs_ctl query', 'no HA state with local_role', output);
  return parsed({
    ha: {
      localRole,
      staticConnections: intOf(ha.get('static_connections')),
      dbState: ha.get('db_state') ?? '',
      detailInformation: ha.get('detail_information') ?? '',
    },
    senders: (sections.get('senders') ?? []).map(toSender),
    receivers: (sections.get('receivers') ?? []).map(toReceiver),
  });
}

/**
 * The furthest WAL position a member's own query shows: a standby's received (else flushed, else
 * replayed) location. A primary's query shows no own position; use pg_current_xlog_location().
 */
export function receivedPosition(query: GsCtlQuery): Lsn | undefined {
  const receiver = query.receivers[0];
  return receiver?.receivedLsn ?? receiver?.flushLsn ?? receiver?.replayLsn;
}
