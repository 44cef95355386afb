import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseLsn, parseTerm, parseXlogLocation, renderLsn } from './lsn.ts';

describe('parseLsn', () => {
  const cases: [string, bigint][] = [
    ['0/3000550', 0x3000550n],
    ['2/5C8', (2n << 32n) | 0x5c8n],
    ['FFFFFFFF/FFFFFFFF', 0xffff_ffff_ffff_ffffn],
    [' 0/4310D5D8 ', 0x4310d5d8n],
    ['a/b', (10n << 32n) | 11n],
  ];
  for (const [text, value] of cases) {
    it(`reads ${JSON.stringify(text)} as the integer hi<<32|lo`, () => {
      assert.deepEqual(parseLsn(text), { ok: true, value });
    });
  }

  for (const bad of ['', '0', '0/', '/1', '1/2/3', '123456789/0', 'x/1', '(1,0/0)']) {
    it(`returns a ParseError for ${JSON.stringify(bad)} instead of throwing`, () => {
      const result = parseLsn(bad);
      assert.equal(result.ok, false);
      if (!result.ok) assert.equal(result.error.kind, 'ParseError');
    });
  }

  it('orders LSNs numerically where text order would be wrong', () => {
    const a = parseLsn('0/9000000');
    const b = parseLsn('0/10000000');
    assert.ok(a.ok && b.ok && a.value < b.value);
  });

  it('round-trips every 64-bit value through renderLsn', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 0xffff_ffff_ffff_ffffn }), (v) => {
      const back = parseLsn(renderLsn(v));
      return back.ok && back.value === v;
    }), { seed: 42, numRuns: 500 });
  });
});

describe('parseTerm', () => {
  it('reads a decimal uint32 and refuses anything else', () => {
    assert.deepEqual(parseTerm('3'), { ok: true, value: 3 });
    assert.deepEqual(parseTerm('4294967295'), { ok: true, value: 4294967295 });
    assert.equal(parseTerm('4294967296').ok, false);
    assert.equal(parseTerm('-1').ok, false);
    assert.equal(parseTerm('').ok, false);
  });
});

describe('parseXlogLocation', () => {
  const cases: [string, string, number | undefined, bigint][] = [
    ['a primary\'s pg_current_xlog_location() in aligned output', ' pg_current_xlog_location \n--------------------------\n 0/4310D5D8\n(1 row)\n', undefined, 0x4310d5d8n],
    ['a standby\'s pg_last_xlog_replay_location() record', ' pg_last_xlog_replay_location \n------------------------------\n (3,0/5000060)\n(1 row)\n', 3, 0x5000060n],
    ['the -t -A output of term and lsn columns', '3|0/5000148\n', 3, 0x5000148n],
    ['a record before any replay', ' (1,0/0)\n', 1, 0n],
    ['a bare -t -A LSN', '0/3000550', undefined, 0x3000550n],
  ];
  for (const [name, output, term, lsn] of cases) {
    it(`parses ${name}`, () => {
      assert.deepEqual(parseXlogLocation(output), { ok: true, value: { term, lsn } });
    });
  }

  it('never reads a primary as 0 (2.0\'s parser did, weakness 5)', () => {
    const result = parseXlogLocation(' pg_current_xlog_location \n--------------------------\n 2/5C8\n(1 row)\n');
    assert.ok(result.ok && result.value.lsn > 0n);
  });

  for (const bad of ['', '(0 rows)\n', 'gsql: failed to connect', ' (x,0/1)', ' (1,zz)']) {
    it(`returns a ParseError for ${JSON.stringify(bad)}`, () => {
      assert.equal(parseXlogLocation(bad).ok, false);
    });
  }

  it('never throws, whatever the text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => {
      const result = parseXlogLocation(text);
      return typeof result.ok === 'boolean';
    }), { seed: 7, numRuns: 1000 });
  });
});
