// nftables text for Pod partitions (pure). One table owned by the sandbox holds two sets:
// `isolated` (Pod IPs cut off) and `open_pairs` (source . destination pairs that still pass:
// a Pod to itself, and peers the caller chose to keep). Every packet on `lo` is locally
// generated, so one output-hook chain sees both directions; dropping every packet (no
// conntrack exception) also stops connections that were already established.
import { isIPv4 } from 'node:net';
import { isSandboxAddress } from '../address-guard.ts';

export const DEFAULT_PARTITION_TABLE = 'og_sandbox';

/** Creates the table, sets and chain if missing and (re)writes the three rules, in one transaction. */
export function renderEnsureTable(table: string): string {
  return [
    `add table inet ${table}`,
    `add set inet ${table} isolated { type ipv4_addr; }`,
    `add set inet ${table} open_pairs { type ipv4_addr . ipv4_addr; }`,
    `add chain inet ${table} output { type filter hook output priority 0; policy accept; }`,
    `flush chain inet ${table} output`,
    `add rule inet ${table} output ip saddr . ip daddr @open_pairs accept`,
    `add rule inet ${table} output ip saddr @isolated drop`,
    `add rule inet ${table} output ip daddr @isolated drop`,
    '',
  ].join('\n');
}

export type Pair = readonly [string, string];

/** The pairs that stay open for an isolated Pod: itself, and each allowed peer both ways. */
export function openPairsFor(podIp: string, allow: readonly string[]): Pair[] {
  const pairs: Pair[] = [[podIp, podIp]];
  for (const peer of allow) if (peer !== podIp) pairs.push([podIp, peer], [peer, podIp]);
  return pairs;
}

export function renderIsolate(table: string, podIp: string, allow: readonly string[], stalePairs: readonly Pair[]): string {
  return [
    ...renderRemovals(table, undefined, stalePairs),
    `add element inet ${table} isolated { ${podIp} }`,
    `add element inet ${table} open_pairs { ${openPairsFor(podIp, allow).map(([a, b]) => `${a} . ${b}`).join(', ')} }`,
    '',
  ].join('\n');
}

export function renderHeal(table: string, podIp: string | undefined, pairs: readonly Pair[]): string {
  return [...renderRemovals(table, podIp, pairs), ''].join('\n');
}

function renderRemovals(table: string, podIp: string | undefined, pairs: readonly Pair[]): string[] {
  const lines = podIp === undefined ? [] : [`delete element inet ${table} isolated { ${podIp} }`];
  if (pairs.length > 0) lines.push(`delete element inet ${table} open_pairs { ${pairs.map(([a, b]) => `${a} . ${b}`).join(', ')} }`);
  return lines;
}

/** Reads `nft -j list set` output: plain addresses for `isolated`, pairs for `open_pairs`. */
export function parseSetElements(json: string): Array<string | Pair> {
  const parsed = JSON.parse(json) as { nftables?: Array<{ set?: { elem?: unknown[] } }> };
  const elements = parsed.nftables?.find((entry) => entry.set !== undefined)?.set?.elem ?? [];
  return elements.flatMap((element): Array<string | Pair> => {
    if (typeof element === 'string') return [element];
    const concat = (element as { concat?: unknown }).concat;
    if (Array.isArray(concat) && concat.length === 2 && concat.every((item) => typeof item === 'string')) return [[concat[0], concat[1]] as Pair];
    return [];
  });
}

/** Pod IPs and peers go straight into nft text: accept only loopback IPv4 literals. */
export function checkPartitionAddress(address: string): string | undefined {
  return isIPv4(address) && isSandboxAddress(address) ? undefined : `${JSON.stringify(address)} is not an IPv4 address in 127.0.0.0/8`;
}

export function checkTableName(table: string): string | undefined {
  return /^[a-z][a-z0-9_]{0,30}$/.test(table) ? undefined : `${JSON.stringify(table)} is not a valid table name (lower-case letters, digits, _)`;
}
