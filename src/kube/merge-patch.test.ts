import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMergePatch, jsonEqual } from './merge-patch.ts';

describe('merge patch', () => {
  const table: [string, unknown, unknown, unknown][] = [
    ['is undefined for equal values whatever the key order', { a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }, undefined],
    ['sets changed and new keys', { a: 1 }, { a: 2, b: 'x' }, { a: 2, b: 'x' }],
    ['nulls removed keys so the server deletes them', { a: 1, b: { c: 1, d: 2 } }, { b: { c: 1 } }, { a: null, b: { d: null } }],
    ['replaces arrays whole', { list: [1, 2, 3] }, { list: [1, 3] }, { list: [1, 3] }],
    ['treats undefined members as absent', { a: 1, b: undefined }, { a: 1 }, undefined],
    ['replaces a scalar by an object', { a: 'x' }, { a: { b: 1 } }, { a: { b: 1 } }],
  ];
  for (const [name, from, to, want] of table) {
    it(name, () => assert.deepEqual(createMergePatch(from, to), want));
  }

  it('compares Dates by their JSON form', () => {
    assert.ok(jsonEqual({ t: new Date('2026-01-01T00:00:00Z') }, { t: '2026-01-01T00:00:00.000Z' }));
  });
});
