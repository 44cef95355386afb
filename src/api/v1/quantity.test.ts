import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareQuantityText, isQuantity, parseQuantity } from './quantity.ts';

describe('parseQuantity', () => {
  it('accepts the forms 2.0 users write: plain numbers, binary and decimal suffixes, bare integers', () => {
    for (const q of ['2', '500m', '3G', '4Gi', '10Gi', '0.5', '1.5Gi', '.5', '1e3', '1E3', '2E', 2, 0]) {
      assert.ok(isQuantity(q), String(q));
    }
  });

  it('refuses malformed text, negative values and absurd exponents', () => {
    for (const q of ['', 'two', '10 Gi', '1gi', '-1', '1e', 'Gi', '1.2.3', '1e999', -1, 1.5]) {
      assert.equal(parseQuantity(q), undefined, String(q));
    }
  });
});

describe('compareQuantityText', () => {
  const table: ReadonlyArray<readonly [string | number, string | number, -1 | 0 | 1]> = [
    ['10Gi', '10240Mi', 0],
    ['10Gi', '10000Mi', 1],
    ['3G', '2Gi', 1],
    ['2G', '2Gi', -1],
    ['500m', '0.5', 0],
    ['100m', '500m', -1],
    [2, '2', 0],
    [2, '1500m', 1],
    ['1e3', '1k', 0],
    ['1Ki', '1024', 0],
    ['1n', '1u', -1],
  ];
  for (const [a, b, expected] of table) {
    it(`orders ${String(a)} against ${String(b)} as ${expected} exactly`, () => {
      assert.equal(compareQuantityText(a, b), expected);
      assert.equal(compareQuantityText(b, a), expected === 0 ? 0 : -expected);
    });
  }

  it('returns undefined when either side is malformed, so callers decide', () => {
    assert.equal(compareQuantityText('10Gi', 'lots'), undefined);
  });
});
