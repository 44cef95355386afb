// Walreceiver channel cycling (opengauss.md §2.3, §4.1; docs/sandbox-engine.md "Channel cycling").
// og_compat.channel_tick() writes $PGDATA/og_channel.conf, included after og_pg.conf:
//   og.channel = '<k>'                      the rotation in use (1..n-1; no file means rotation 0)
//   og.channel_base = '<rotation 0>'        the conninfo it was derived from
//   primary_conninfo = '<rotation k>'
// The engine keeps that file across reloads only while it still matches the derived configuration,
// so a reload that changes nothing else never restarts a walreceiver that streams on rotation k.
import { parseConf } from './conf-file.ts';

export const channelFileName = 'og_channel.conf';

// Seconds a standby's walreceiver may go without streaming before the tick moves on to the next
// rotation: one attempt at the first peer is at most connect_timeout (2 s, replconninfo.ts) plus
// wal_retrieve_retry_interval (1 s, pg-config.ts) between walreceiver starts.
export const channelRetrySeconds = 3;

// True when og_channel.conf (its text) still belongs to `conninfos` (the rotations of the derived
// configuration; empty when this instance does not cycle).
export function channelOverrideValid(text: string, conninfos: readonly string[]): boolean {
  const entries = parseConf(text);
  const k = Number(entries.get('og.channel')?.value ?? '');
  if (!Number.isInteger(k) || k < 1 || k >= conninfos.length) return false;
  return entries.get('og.channel_base')?.value === conninfos[0] && entries.get('primary_conninfo')?.value === conninfos[k];
}
