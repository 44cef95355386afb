// Reading /proc/self/mountinfo: which paths are mount points and what device backs them.
import { readFile } from 'node:fs/promises';

export type MountEntry = { readonly mountPoint: string; readonly source: string; readonly fsType: string };

/** Parses mountinfo text (pure): fields 5 (mount point), then after ' - ' fs type and source. */
export function parseMountInfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const [left, right] = line.split(' - ');
    if (left === undefined || right === undefined) continue;
    const mountPoint = left.split(' ')[4];
    const [fsType, source] = right.split(' ');
    if (mountPoint !== undefined && fsType !== undefined && source !== undefined) {
      entries.push({ mountPoint: unescapeOctal(mountPoint), source: unescapeOctal(source), fsType });
    }
  }
  return entries;
}

// The kernel writes space, tab, newline and backslash in paths as \040, \011, \012, \134.
function unescapeOctal(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_match, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

export async function readMounts(): Promise<MountEntry[]> {
  return parseMountInfo(await readFile('/proc/self/mountinfo', 'utf8'));
}
