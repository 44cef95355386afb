import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findGuc } from './guc-catalog.ts';
import { checkGucValue } from './guc-value-check.ts';
import { parseGsGucArgs } from './gs-guc-args.ts';

function check(name: string, raw: string): string | undefined {
  const info = findGuc(name);
  assert.ok(info, name);
  const result = checkGucValue(info, raw);
  return result.ok ? undefined : result.message;
}

describe('gs_guc arguments and value checks', () => {
  it('collects -c settings and -h records in one call', () => {
    const result = parseGsGucArgs(['reload', '-D', '/d', '-c', "application_name='og_1'", '-c', 'synchronous_commit=remote_receive', '-h', 'host all all 127.0.0.2/32 md5']);
    assert.ok(result.ok);
    assert.deepEqual(result.options.settings, [{ name: 'application_name', rawValue: "'og_1'" }, { name: 'synchronous_commit', rawValue: 'remote_receive' }]);
    assert.deepEqual(result.options.hbaRecords, ['host all all 127.0.0.2/32 md5']);
  });

  it('treats -c without a value as a reset', () => {
    const result = parseGsGucArgs(['set', '-D', '/d', '-c', 'work_mem']);
    assert.ok(result.ok);
    assert.deepEqual(result.options.settings, [{ name: 'work_mem', rawValue: undefined }]);
  });

  it('refuses -N/-I without OM\'s static configuration', () => {
    const result = parseGsGucArgs(['reload', '-N', 'all', '-I', 'all', '-c', 'port=1']);
    assert.deepEqual(result.ok ? [] : result.lines, ['ERROR: Failed to get cluster information from static configuration file.']);
  });

  it('refuses an unknown option and an unknown verb', () => {
    const bad = parseGsGucArgs(['set', '-x', '1']);
    assert.equal(bad.ok, false);
    assert.equal(bad.ok ? '' : bad.lines[0], "gs_guc: invalid option -- 'x'");
    const verb = parseGsGucArgs(['apply', '-c', 'port=1']);
    assert.equal(verb.ok ? '' : verb.lines[0], 'gs_guc: unrecognized operation mode "apply"');
  });

  it('requires quotes around string values', () => {
    assert.equal(check('replconninfo1', 'localhost=a'), 'ERROR: The value "localhost=a" for parameter "replconninfo1" is incorrect. Please do it like this "parameter = \'value\'".');
    assert.equal(check('synchronous_standby_names', "'FIRST 1(a,b)'"), undefined);
    assert.equal(check('application_name', '"og_1"'), undefined);
  });

  it('checks booleans, integers and enums, accepting openGauss-only values', () => {
    assert.equal(check('most_available_sync', 'on'), undefined);
    assert.match(check('most_available_sync', 'maybe') ?? '', /requires a boolean value$/);
    assert.equal(check('max_connections', '1500'), undefined);
    assert.match(check('max_connections', 'many') ?? '', /requires a integer value$/);
    assert.equal(check('shared_buffers', '128MB'), undefined);
    assert.equal(check('synchronous_commit', 'remote_receive'), undefined);
    assert.equal(check('wal_level', 'hot_standby'), undefined);
    assert.match(check('wal_level', 'extreme') ?? '', /requires a enum value$/);
  });

  it('knows PostgreSQL\'s names and openGauss-only ones, and no others', () => {
    assert.equal(findGuc('work_mem')?.ogOnly, false);
    assert.equal(findGuc('replconninfo8')?.ogOnly, true);
    assert.equal(findGuc('replconninfo9'), undefined);
    assert.equal(findGuc('no_such_parameter'), undefined);
  });
});
