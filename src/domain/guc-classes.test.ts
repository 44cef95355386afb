import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GucClass, acceptedConfig, classifyGuc, planConfigChange } from './guc-classes.ts';
import { POSTMASTER_GUCS_FROM_2_0 } from './guc-table.ts';

describe('classifyGuc', () => {
  const cases: [string, GucClass][] = [
    ['shared_buffers', GucClass.Restart],
    ['max_connections', GucClass.Restart],
    ['wal_level', GucClass.Restart],
    ['UDFWorkerMemHardLimit', GucClass.Restart],
    ['archive_mode', GucClass.Restart],
    ['work_mem', GucClass.Reload],
    ['archive_command', GucClass.Reload],
    ['log_directory', GucClass.Reload],
    ['port', GucClass.Forbidden],
    ['lc_collate', GucClass.Forbidden],
    ['replconninfo3', GucClass.Managed],
    ['synchronous_standby_names', GucClass.Managed],
    ['synchronous_commit', GucClass.Reload],
    ['bad name', GucClass.Invalid],
  ];
  for (const [name, expected] of cases) {
    it(`classifies ${name} as ${expected}`, () => assert.equal(classifyGuc(name), expected));
  }

  it('keeps 2.0\'s 116 postmaster-level names, lower case and unique', () => {
    assert.equal(POSTMASTER_GUCS_FROM_2_0.length, 116);
    assert.equal(new Set(POSTMASTER_GUCS_FROM_2_0).size, 116);
    assert.ok(POSTMASTER_GUCS_FROM_2_0.every((n) => n === n.toLowerCase() && classifyGuc(n) === GucClass.Restart));
  });
});

describe('planConfigChange', () => {
  it('sets new and changed keys only, and asks for a restart when one is postmaster-level', () => {
    const change = planConfigChange({ work_mem: '64MB', max_connections: '1500' }, { work_mem: '128MB', max_connections: '1500', archive_timeout: '60' });
    assert.deepEqual(change.set, [{ name: 'archive_timeout', value: '60' }, { name: 'work_mem', value: '128MB' }]);
    assert.equal(change.restartNeeded, false);
    assert.equal(planConfigChange({}, { shared_buffers: '1GB' }).restartNeeded, true);
  });

  it('resets a removed key instead of keeping its old value (2.0 brought it back: weakness 18)', () => {
    const change = planConfigChange({ work_mem: '64MB', max_prepared_transactions: '100' }, { work_mem: '64MB' });
    assert.deepEqual(change.reset, ['max_prepared_transactions']);
    assert.deepEqual(change.set, []);
    assert.equal(change.restartNeeded, true);
  });

  it('rejects forbidden, managed and malformed entries and applies the rest', () => {
    const { accepted, rejected } = acceptedConfig({ port: '5433', replconninfo1: "'x'", 'a b': '1', work_mem: 'x y', archive_mode: 'on' });
    assert.deepEqual(accepted, [['archive_mode', 'on']]);
    assert.deepEqual(rejected.map((r) => [r.name, r.reason]), [['a b', 'invalid-name'], ['port', 'forbidden'], ['replconninfo1', 'managed'], ['work_mem', 'invalid-value']]);
  });

  it('applies the README sample config unchanged', () => {
    const config = {
      advance_xlog_file_num: '10', archive_command: "'cp %p /gaussarch/archive/%f'", archive_dest: "'/gaussdata/archive/archive_xlog'",
      archive_mode: 'on', bbox_dump_path: "'/gaussarch/corefile'", log_directory: "'/gaussarch/log/omm/pg_log'", max_connections: '2000',
    };
    assert.equal(acceptedConfig(config).rejected.length, 0);
    assert.equal(planConfigChange({}, config).set.length, 7);
  });
});
