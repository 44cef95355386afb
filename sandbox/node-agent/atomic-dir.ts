// Writes a volume's files the way the kubelet's AtomicWriter does, so a container reading a
// ConfigMap, Secret or token never sees a half-updated set: files go into a fresh hidden
// directory, the `..data` symlink is swapped with one rename, and each top-level name is a
// symlink through `..data`. Unchanged content is left alone.
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type VolumeFile = { readonly path: string; readonly content: Buffer; readonly mode: number };

function sameContent(dir: string, files: readonly VolumeFile[]): boolean {
  const current = join(dir, '..data');
  if (!existsSync(current)) return false;
  return files.every((f) => {
    try {
      return readFileSync(join(current, f.path)).equals(f.content);
    } catch {
      return false;
    }
  }) && countFiles(current) === files.length;
}

function countFiles(dir: string): number {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) n += entry.isDirectory() ? countFiles(join(dir, entry.name)) : 1;
  return n;
}

/** Returns true when the files changed. `gid` (fsGroup) becomes the group of every file. */
export function writeAtomicDir(dir: string, files: readonly VolumeFile[], gid?: number): boolean {
  mkdirSync(dir, { recursive: true });
  if (sameContent(dir, files)) return false;
  const stamp = `..${new Date().toISOString().replace(/[:.]/g, '_')}.${String(process.pid)}`;
  const fresh = join(dir, stamp);
  mkdirSync(fresh);
  for (const f of files) {
    const target = join(fresh, f.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, f.content);
    chmodSync(target, f.mode);
    if (gid !== undefined) chownSync(target, 0, gid);
  }
  const previous = existsSync(join(dir, '..data')) ? readlinkSync(join(dir, '..data')) : undefined;
  symlinkSync(stamp, join(dir, '..data_tmp'));
  renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
  const topLevel = new Set(files.map((f) => f.path.split('/')[0] ?? f.path));
  for (const name of topLevel) {
    const link = join(dir, name);
    if (!existsSync(link) && !isSymlink(link)) symlinkSync(join('..data', name), link);
  }
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('..')) continue;
    if (!topLevel.has(entry)) rmSync(join(dir, entry), { force: true, recursive: true });
  }
  if (previous !== undefined && previous !== stamp) rmSync(join(dir, previous), { recursive: true, force: true });
  return true;
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
