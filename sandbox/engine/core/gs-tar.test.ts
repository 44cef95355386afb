import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseGsTarArgs } from './gs-tar-args.ts';
import { paddedSize, parseTarHeader } from './tar-header.ts';

function header(fields: { name: string; mode?: string; size?: string; flag?: string; link?: string }): Uint8Array {
  const block = new Uint8Array(512);
  const put = (offset: number, text: string): void => block.set(new TextEncoder().encode(text), offset);
  put(0, fields.name);
  put(100, fields.mode ?? '0000600');
  put(124, fields.size ?? '00000000012');
  put(156, fields.flag ?? '0');
  if (fields.link) put(157, fields.link);
  put(257, 'ustar');
  return block;
}

describe('gs_tar headers (pg_basebackup ustar layout)', () => {
  it('reads files, directories and symlinks with their mode and size', () => {
    assert.deepEqual(parseTarHeader(header({ name: 'PG_VERSION', size: '00000000003' })), { kind: 'entry', entry: { name: 'PG_VERSION', mode: 0o600, size: 3, type: 'file', linkTarget: '' } });
    assert.deepEqual(parseTarHeader(header({ name: 'base/', mode: '0000700', size: '00000000000', flag: '5' })), { kind: 'entry', entry: { name: 'base/', mode: 0o700, size: 0, type: 'directory', linkTarget: '' } });
    assert.equal(parseTarHeader(header({ name: 'pg_tblspc/16384', flag: '2', size: '00000000000', link: '/ts' })).kind, 'entry');
    assert.deepEqual(parseTarHeader(new Uint8Array(512)), { kind: 'end' });
    assert.equal(paddedSize(3), 512);
    assert.equal(paddedSize(1024), 1024);
  });

  it('answers a gzip stream or a short block with openGauss\'s complaints', () => {
    const gzip = new Uint8Array(512);
    gzip.set([0x1f, 0x8b, 0x08, 0x00, 0x41, 0x42]);
    assert.deepEqual(parseTarHeader(gzip), { kind: 'error', message: 'could not parse file size' });
    assert.deepEqual(parseTarHeader(new Uint8Array(100)), { kind: 'error', message: 'invalid tar block header size: 100' });
    assert.equal(parseTarHeader(header({ name: '../etc/passwd' })).kind, 'error');
  });
});

describe('gs_tar flags', () => {
  it('takes -D/--destination and -F; rejects the rest the getopt way', () => {
    assert.deepEqual(parseGsTarArgs(['-D', '/d', '-F', '/b.tar']), { ok: true, destination: '/d', file: '/b.tar' });
    assert.deepEqual(parseGsTarArgs(['--destination=/d', '-F/b.tar']), { ok: true, destination: '/d', file: '/b.tar' });
    assert.deepEqual(parseGsTarArgs(['-x']), { ok: false, stderr: ["gs_tar: invalid option -- 'x'", 'Try "gs_tar --help" for more information.'] });
    assert.deepEqual(parseGsTarArgs(['--filename=/b.tar']), { ok: false, stderr: ["gs_tar: unrecognized option '--filename=/b.tar'", 'Try "gs_tar --help" for more information.'] });
    assert.deepEqual(parseGsTarArgs(['-D']), { ok: false, stderr: ["gs_tar: option requires an argument -- 'D'", 'Try "gs_tar --help" for more information.'] });
  });
});
