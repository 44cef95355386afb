// The local files a build keeps (opengauss.md §2.4, §10.6): pg_basebackup and pg_rewind copy the
// source's configuration, while openGauss keeps the local postgresql.conf (port, replconninfo,
// application_name) and the engine's side files. pg_hba.conf comes from the source, as in openGauss.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const keptFiles = ['postgresql.conf', 'postgresql.conf.bak', 'pg_ctl.lock', 'gaussdb.state', 'term_file', 'og_replpass', 'og_logfile', 'og_server.log', 'server.crt', 'server.key', 'cacert.pem'];
// Derived or per-instance files that must never come from the source.
const droppedFiles = ['og_sync.conf', 'og_channel.conf', 'og_sync_watcher.pid', 'og_pg.conf', 'og_hba.conf', 'standby.signal', 'recovery.signal'];

export type SavedConfig = ReadonlyMap<string, Buffer>;

export function saveLocalConfig(dataDir: string): SavedConfig {
  const saved = new Map<string, Buffer>();
  for (const name of keptFiles) {
    const path = join(dataDir, name);
    if (existsSync(path)) saved.set(name, readFileSync(path));
  }
  const auto = join(dataDir, 'postgresql.auto.conf');
  if (existsSync(auto)) {
    // primary_conninfo is the engine's to write; a stale one would point at the old source.
    const text = readFileSync(auto, 'utf8').split('\n').filter((l) => !/^\s*primary_conninfo\s*=/.test(l)).join('\n');
    saved.set('postgresql.auto.conf', Buffer.from(text));
  }
  return saved;
}

export function restoreLocalConfig(dataDir: string, saved: SavedConfig): void {
  for (const name of droppedFiles) rmSync(join(dataDir, name), { force: true });
  for (const [name, content] of saved) writeFileSync(join(dataDir, name), content, { mode: name === 'og_replpass' ? 0o600 : 0o644 });
}
