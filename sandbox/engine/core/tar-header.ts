// One 512-byte header of the tar stream gs_basebackup -F tar writes (pg_basebackup's ustar layout:
// name at 0, mode at 100, size at 124, type flag at 156, link target at 157, prefix at 345).
export const tarBlockSize = 512;

export type TarEntry = {
  readonly name: string;
  readonly mode: number;
  readonly size: number;
  readonly type: 'file' | 'directory' | 'symlink';
  readonly linkTarget: string;
};

// `end` is the all-zero block closing the archive; the strings are gs_tar's own complaints.
export type TarHeader = { readonly kind: 'entry'; readonly entry: TarEntry } | { readonly kind: 'end' } | { readonly kind: 'error'; readonly message: string };

function field(block: Uint8Array, offset: number, length: number): string {
  const bytes = block.subarray(offset, offset + length);
  const nul = bytes.indexOf(0);
  return new TextDecoder().decode(nul < 0 ? bytes : bytes.subarray(0, nul));
}

function octal(block: Uint8Array, offset: number, length: number): number | undefined {
  const text = field(block, offset, length).trim();
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : undefined;
}

export function parseTarHeader(block: Uint8Array): TarHeader {
  if (block.length !== tarBlockSize) return { kind: 'error', message: `invalid tar block header size: ${block.length}` };
  if (block.every((b) => b === 0)) return { kind: 'end' };
  const size = octal(block, 124, 12);
  if (size === undefined) return { kind: 'error', message: 'could not parse file size' };
  const mode = octal(block, 100, 8);
  if (mode === undefined) return { kind: 'error', message: 'could not parse file mode' };
  const prefix = field(block, 345, 155);
  const name = prefix ? `${prefix}/${field(block, 0, 100)}` : field(block, 0, 100);
  // gs_tar refuses names climbing out of the destination.
  if (name.split('/').includes('..')) return { kind: 'error', message: `the copybuf/current_path file path including .. is unallowed: ${name}` };
  const flag = String.fromCharCode(block[156] ?? 0);
  if (flag === '5') return { kind: 'entry', entry: { name, mode, size: 0, type: 'directory', linkTarget: '' } };
  if (flag === '2') return { kind: 'entry', entry: { name, mode, size: 0, type: 'symlink', linkTarget: field(block, 157, 100) } };
  if (flag === '0' || flag === '\0') return { kind: 'entry', entry: { name, mode, size, type: 'file', linkTarget: '' } };
  return { kind: 'error', message: `unrecognized link indicator "${flag}"` };
}

// Data is padded to whole blocks.
export function paddedSize(size: number): number {
  return Math.ceil(size / tarBlockSize) * tarBlockSize;
}
