// pg_hba entries the operator keeps on every member, applied with `gs_guc reload -h` (opengauss.md
// §5.1, §6). Least privilege instead of 2.0's `trust` for every peer and md5 from anywhere for
// replication (weakness 13):
// - clients: `host all all 0.0.0.0/0 md5`, as 2.0 since its 2025 change. Clients arrive through
//   NodePorts, often source-NATed to a node address, so no narrower range works by default; md5 is
//   the method standard drivers speak (openGauss sha256 is not SCRAM, §6).
// - replication: one `host replication all <peer>/32 sha256` per peer (other members, then the
//   remote site), nothing from elsewhere. openGauss trusts walsender peers listed in replconninfo
//   before hba, so streaming and gs_ctl build need no line; this one admits password-based
//   replication tools (gs_basebackup) from peers only, with a real method.
// - removed: 2.0's `host all all <ip>/32 trust` lines (openGauss refuses remote trust for
//   sessions anyway) and `host replication backupuser 0.0.0.0/0 md5`. A `gs_guc -h` record
//   without a method comments matching lines out.

export type HbaRecord = { readonly type: 'host'; readonly database: string; readonly user: string; readonly address: string };

/** A record to set (`method`) or to comment out (no method). */
export type HbaEntry = HbaRecord & { readonly method?: 'md5' | 'sha256' };

export type HbaInput = {
  /** Other local members (iplist order), then remote ones (remoteiplist order). */
  readonly peers: readonly string[];
  /** IPs that were members before (scale-in, migration): their lines are removed. */
  readonly retiredPeers?: readonly string[];
};

const host = (database: string, user: string, address: string) => ({ type: 'host' as const, database, user, address });

/** The full set of hba edits for one member: removals of 2.0's lines first, then the lines to keep. */
export function planHbaEntries(input: HbaInput): HbaEntry[] {
  const peers = [...new Set(input.peers)];
  const retired = [...new Set(input.retiredPeers ?? [])].filter((ip) => !peers.includes(ip));
  const legacyTrust = [...peers, ...retired].map((ip) => host('all', 'all', `${ip}/32`));
  return [
    ...legacyTrust,
    host('replication', 'backupuser', '0.0.0.0/0'),
    ...retired.map((ip) => host('replication', 'all', `${ip}/32`)),
    { ...host('all', 'all', '0.0.0.0/0'), method: 'md5' },
    ...peers.map((ip): HbaEntry => ({ ...host('replication', 'all', `${ip}/32`), method: 'sha256' })),
  ];
}

/** The `-h` argument of gs_guc for one entry. */
export function renderHbaArgument(entry: HbaEntry): string {
  const words = [entry.type, entry.database, entry.user, entry.address];
  return (entry.method === undefined ? words : [...words, entry.method]).join(' ');
}

/** Whether an hba line (as in pg_hba.conf) grants `trust` to a non-loopback address. */
export function isRemoteTrustLine(line: string): boolean {
  const words = line.replace(/#.*$/, '').trim().split(/\s+/);
  if (words[0] !== 'host' && words[0] !== 'hostssl' && words[0] !== 'hostnossl') return false;
  const address = words[3] ?? '';
  const method = address.includes('/') ? words[4] : words[5];
  return method === 'trust' && !/^(127\.|::1\/128$|localhost$)/.test(address);
}
