import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detectDivergence } from './divergence.ts';
import { parseGsInitdbArgs } from './gs-initdb-args.ts';
import { buildPgHba, parseHbaArgument, setHbaRecord } from './hba.ts';
import { parseLsn, renderLsn } from './lsn.ts';
import { prefixPattern, renderPrefixedLine } from './log-line.ts';
import { parseSyncStandbyNames } from './sync-standby-names.ts';

describe('divergence detection', () => {
  const start = 'LOG:  starting PostgreSQL 15.18 on x86_64\n';
  it('reports a timeline forked before the recovery point as WAL segment removed', () => {
    assert.equal(detectDivergence(`${start}LOG:  new timeline 3 forked off current database system timeline 2 before current recovery point 0/30EDC68\n`), 'WAL segment removed');
  });
  it('reports a primary behind the recovery timeline as Timeline not matched', () => {
    assert.equal(detectDivergence(`${start}FATAL:  highest timeline 3 of the primary is behind recovery timeline 4\n`), 'Timeline not matched');
  });
  it('reports a former primary ahead of the new primary\'s WAL as WAL segment removed', () => {
    const line = 'FATAL:  could not receive data from WAL stream: ERROR:  requested starting point 0/5000000 is ahead of the WAL flush position of this server 0/4FFFF28\n';
    assert.equal(detectDivergence(`${start}${line}`), 'WAL segment removed');
  });
  it('forgets messages from before the last server start', () => {
    assert.equal(detectDivergence(`${start}LOG:  new timeline 3 forked off current database system timeline 2\n${start}LOG:  started streaming WAL\n`), undefined);
  });
});

describe('synchronous_standby_names', () => {
  const cases: readonly (readonly [string, ReturnType<typeof parseSyncStandbyNames>])[] = [
    ['', undefined],
    ['*', { kind: 'FIRST', num: 1, list: '*', members: ['*'] }],
    ['a,b', { kind: 'FIRST', num: 1, list: 'a,b', members: ['a', 'b'] }],
    ['FIRST 2 (a, b, c)', { kind: 'FIRST', num: 2, list: 'a, b, c', members: ['a', 'b', 'c'] }],
    ['ANY 1(og_1,"og_2")', { kind: 'ANY', num: 1, list: 'og_1,"og_2"', members: ['og_1', 'og_2'] }],
    ['2 (a,b)', { kind: 'FIRST', num: 2, list: 'a,b', members: ['a', 'b'] }],
  ];
  for (const [text, expected] of cases) {
    it(`parses ${JSON.stringify(text)}`, () => assert.deepEqual(parseSyncStandbyNames(text), expected));
  }
});

describe('pg_hba', () => {
  it('parses a gs_guc -h record, with or without a method', () => {
    assert.deepEqual(parseHbaArgument('host all all 127.0.0.2/32 trust'), { record: { type: 'host', database: 'all', user: 'all', address: '127.0.0.2/32' }, method: 'trust' });
    assert.equal(parseHbaArgument('host all all 127.0.0.2/32')?.method, undefined);
  });

  it('replaces a record with the same type, database, user and address', () => {
    const parsed = parseHbaArgument('host all all 10.0.0.0/8 md5');
    assert.ok(parsed);
    assert.equal(setHbaRecord('host all all 10.0.0.0/8 trust\n', parsed.record, 'md5'), 'host\tall\tall\t10.0.0.0/8\tmd5\n');
    assert.equal(setHbaRecord('host all all 10.0.0.0/8 trust\n', parsed.record, undefined), '#host all all 10.0.0.0/8 trust\n');
  });

  it('puts password lines for replication peers first and maps sha256 to scram-sha-256', () => {
    const text = buildPgHba('host all all 0.0.0.0/0 sha256', [{ host: '127.20.0.3', port: 5432 }], 'omm');
    const lines = text.split('\n');
    assert.equal(lines[1], 'host\treplication\tomm\t127.20.0.3/32\tmd5');
    assert.ok(lines.includes('host\treplication\tomm\t127.0.0.1/32\tmd5'));
    assert.equal(lines.at(-1), 'host\tall\tall\t0.0.0.0/0\tscram-sha-256');
  });
});

describe('gs_initdb arguments', () => {
  it('translates the 2.0 operator\'s call', () => {
    const result = parseGsInitdbArgs(['--locale=C', '-E=UTF-8', '-w', 'Secret@123', '--nodename=gaussdb', '-D', '/d']);
    assert.ok(result.ok);
    assert.deepEqual(result.plan, { dataDir: '/d', nodeName: 'gaussdb', password: 'Secret@123', pwFile: undefined, initdbArgs: ['--locale=C', '--encoding=UTF8'] });
  });

  it('refuses an unknown option', () => {
    const result = parseGsInitdbArgs(['--bogus']);
    assert.equal(result.ok ? '' : result.lines[0], "gs_initdb: unrecognized option '--bogus'");
  });
});

describe('LSN and log prefix', () => {
  it('compares LSNs numerically and prints them like %X/%X', () => {
    const a = parseLsn('0/3000550');
    const b = parseLsn('2/5C8');
    assert.ok(a !== undefined && b !== undefined && a < b);
    assert.equal(renderLsn(b), '2/5C8');
    assert.equal(parseLsn('0/3000550,1'), undefined);
  });

  it('renders the gs_ctl prefix the parsers expect', () => {
    const line = renderPrefixedLine({ at: new Date(2023, 3, 18, 9, 38, 34, 397), pid: 1498175, nodeName: '', tool: 'gs_ctl' }, 'x');
    assert.equal(line, '[2023-04-18 09:38:34.397][1498175][][gs_ctl]: x');
    assert.match(line, prefixPattern);
  });
});
