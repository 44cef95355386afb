// Where built control-plane binaries live and how a cache entry is checked. An entry is a
// directory named by version and a hash of the wrapper module and the Go version, holding the
// binaries and a manifest written last: no manifest, or a binary that no longer matches it,
// means a corrupt entry, which is rebuilt.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type ManifestEntry = { readonly name: string; readonly sizeBytes: number; readonly sha256: string; readonly mtimeMs: number };
export type Manifest = { readonly version: string; readonly builtAt: string; readonly buildSeconds: number; readonly files: readonly ManifestEntry[] };

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(base, 'opengauss-operator');
}

export function computeCacheKey(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 12);
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const manifestName = 'manifest.json';

export async function writeManifest(dir: string, version: string, names: readonly string[], buildSeconds: number): Promise<void> {
  const files: ManifestEntry[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const info = await stat(path);
    files.push({ name, sizeBytes: info.size, sha256: await sha256File(path), mtimeMs: info.mtimeMs });
  }
  const manifest: Manifest = { version, builtAt: new Date().toISOString(), buildSeconds, files };
  await writeFile(join(dir, manifestName), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** True when every binary the manifest lists is present and unchanged. Hashes only files whose mtime moved. */
export async function isCacheEntryIntact(dir: string, names: readonly string[]): Promise<boolean> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, manifestName), 'utf8')) as Manifest;
  } catch {
    return false; // no manifest or unreadable: the build never finished
  }
  for (const name of names) {
    const entry = manifest.files.find((f) => f.name === name);
    if (entry === undefined || !(await fileMatches(join(dir, name), entry))) return false;
  }
  return true;
}

async function fileMatches(path: string, entry: ManifestEntry): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || info.size !== entry.sizeBytes || (info.mode & 0o111) === 0) return false;
  if (info.mtimeMs === entry.mtimeMs) return true;
  return (await sha256File(path)) === entry.sha256;
}

export async function readManifest(dir: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, manifestName), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}
