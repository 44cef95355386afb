import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isValidGucName, isWellFormedGucValue, parseGucString, quoteGucString, renderGucAssignment, shellQuote } from './guc-quoting.ts';

describe('GUC values for gs_guc -c', () => {
  it('accepts the value forms of the README sample and of 2.0 manifests', () => {
    for (const value of ['10', 'on', '64MB', '-1', '0.5', 'remote_receive', "'cp %p /gaussarch/archive/%f'", "'/gaussarch/corefile'", "''", "'it''s'"]) {
      assert.ok(isWellFormedGucValue(value), value);
    }
  });

  it('refuses values that would break the postgresql.conf line or gs_guc\'s quoting rule', () => {
    for (const value of ['', 'a b', "'unterminated", "'a'b'", "'line\nbreak'", 'x;y', '$(id)', "'trailing\\'"]) {
      assert.equal(isWellFormedGucValue(value), false, JSON.stringify(value));
    }
  });

  it('quotes operator strings so the configuration parser reads them back unchanged', () => {
    assert.equal(quoteGucString("og_10_0_0_1"), "'og_10_0_0_1'");
    assert.equal(quoteGucString("it's"), "'it''s'");
    assert.equal(quoteGucString('a\\b'), "'a\\\\b'");
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
      const literal = quoteGucString(text);
      return isWellFormedGucValue(literal) && !/[\r\n]/.test(literal) && parseGucString(literal) === text;
    }), { seed: 5, numRuns: 2000 });
  });

  it('accepts parameter names, including dotted extension names, and nothing else', () => {
    assert.ok(isValidGucName('max_connections'));
    assert.ok(isValidGucName('og.replconninfo1'));
    for (const bad of ['', '1abc', 'a-b', 'a=b', 'a b', 'a..b']) assert.equal(isValidGucName(bad), false, bad);
  });

  it('renders the -c argument as name=value', () => {
    assert.equal(renderGucAssignment('archive_dest', "'/gaussdata/archive'"), "archive_dest='/gaussdata/archive'");
  });
});

describe('shellQuote', () => {
  it('passes any argument through a POSIX shell unchanged', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 40 }).filter((s) => !s.includes('\0')), { minLength: 1, maxLength: 4 }), (argv) => {
      const script = `printf '%s\\0' ${argv.map(shellQuote).join(' ')}`;
      const out = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
      return out.stdout === argv.map((a) => `${a}\0`).join('');
    }), { seed: 3, numRuns: 150 });
  });
});
