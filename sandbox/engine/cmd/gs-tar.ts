// gs_tar (openGauss's untar for gs_basebackup -F tar output; seed-operator.md §3.5: the 2.0 image's
// og-restore.sh gunzips a backup and gs_tars it into the data directory). Checks and messages follow
// openGauss's GsTar(): -D must exist and hold no file or directory, -F is read block by block.
import { chmodSync, closeSync, mkdirSync, openSync, readSync, readdirSync, realpathSync, symlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseGsTarArgs } from '../core/gs-tar-args.ts';
import { paddedSize, parseTarHeader, tarBlockSize, type TarEntry } from '../core/tar-header.ts';

function fail(line: string): number {
  process.stderr.write(`${line}\n`);
  return 1;
}

function usage(): number {
  process.stdout.write(`gs_tar untars files created by gs_basebackup tar format.

Usage:
  gs_tar [OPTION]...

Options controlling the output:
  -D, --destination=DIRECTORY   untar files into directory
  -F, --filename=FILENAME       filename to be untar
`);
  return 0;
}

function errnoText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const texts: Record<string, string> = { ENOENT: 'No such file or directory', EACCES: 'Permission denied', ENOTDIR: 'Not a directory' };
  return texts[code ?? ''] ?? String((error as Error).message);
}

// Sub-directories and regular files make the destination "no empty"; other entries do not (as in openGauss).
function hasContent(dir: string): boolean {
  return readdirSync(dir, { withFileTypes: true }).some((e) => e.isDirectory() || e.isFile());
}

function readFully(fd: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const n = readSync(fd, buffer, filled, length - filled, null);
    if (n === 0) break;
    filled += n;
  }
  return buffer.subarray(0, filled);
}

// Copies one file's data in bounded chunks (base.tar holds the whole cluster).
function extractFile(fd: number, entry: TarEntry, path: string): string | undefined {
  const out = openSync(path, 'w', entry.mode & 0o7777);
  try {
    let left = entry.size;
    while (left > 0) {
      const chunk = readFully(fd, Math.min(left, 1024 * 1024));
      if (chunk.length === 0) return 'COPY stream ended before last file was finished';
      writeSync(out, chunk);
      left -= chunk.length;
    }
    readFully(fd, paddedSize(entry.size) - entry.size);
  } finally {
    closeSync(out);
  }
  chmodSync(path, entry.mode & 0o7777);
  return undefined;
}

function extractEntry(fd: number, entry: TarEntry, destination: string): string | undefined {
  const path = join(destination, entry.name);
  try {
    if (entry.type === 'directory') {
      mkdirSync(path, { recursive: true });
      chmodSync(path, entry.mode & 0o7777);
      return undefined;
    }
    if (entry.type === 'symlink') {
      symlinkSync(entry.linkTarget, path);
      return undefined;
    }
    return extractFile(fd, entry, path);
  } catch (error) {
    return `could not create ${entry.type === 'file' ? 'file' : entry.type === 'directory' ? 'directory' : 'symbolic link'} "${path}": ${errnoText(error)}`;
  }
}

function extract(file: string, destination: string): number {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return fail('WARNING:  not found!'); // sic: openGauss prints its still-empty file name buffer
  }
  try {
    for (;;) {
      const block = readFully(fd, tarBlockSize);
      if (block.length === 0) return 0;
      const header = parseTarHeader(block);
      if (header.kind === 'end') return 0;
      if (header.kind === 'error') return fail(`gs_tar: ${header.message}`);
      const problem = extractEntry(fd, header.entry, destination);
      if (problem) return fail(`gs_tar: ${problem}`);
    }
  } finally {
    closeSync(fd);
  }
}

export function gsTarMain(argv: readonly string[]): number {
  if (argv[0] === '--help' || argv[0] === '-?') return usage();
  if (argv[0] === '--version' || argv[0] === '-V') {
    process.stdout.write('gs_basebackup (openGauss 5.0.2 on PostgreSQL 15 sandbox engine)\n');
    return 0;
  }
  const args = parseGsTarArgs(argv);
  if (!args.ok) {
    process.stderr.write(args.stderr.map((l) => `${l}\n`).join(''));
    return 1;
  }
  let destination: string | undefined;
  if (args.destination !== undefined) {
    try {
      destination = realpathSync(args.destination);
    } catch (error) {
      return fail(`gs_tar: destination dir "${args.destination}" failed: ${errnoText(error)}`);
    }
  }
  if (destination === undefined || args.file === undefined) return fail('-D option and -F option are required.');
  if (hasContent(destination)) return fail(`gs_tar: destination dir "${destination}" no empty.`);
  return extract(args.file, destination);
}
