import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { commentOutConfValue, parseConf, setConfValue, unquoteConfValue } from './conf-file.ts';

describe('postgresql.conf editing', () => {
  it('reads active entries with quoted values and comments, the last occurrence winning', () => {
    const conf = parseConf("port = 5432\n#port = 1\nlisten_addresses = '*'   # all\nport=6000\napplication_name = 'it''s'\n");
    assert.equal(conf.get('port')?.value, '6000');
    assert.equal(conf.get('listen_addresses')?.value, '*');
    assert.equal(conf.get('application_name')?.value, "it's");
    assert.equal(conf.size, 3);
  });

  it('rewrites a commented `#name = value` line in place, as gs_guc does', () => {
    const text = setConfValue("#max_connections = 100\t# comment\nport = 1\n", 'max_connections', '800');
    assert.equal(text, 'max_connections = 800\nport = 1\n');
  });

  it('rewrites the active line rather than a commented one', () => {
    assert.equal(setConfValue('#port = 1\nport = 2\n', 'port', '3'), '#port = 1\nport = 3\n');
  });

  it('appends a name the file does not mention', () => {
    assert.equal(setConfValue('port = 1', 'most_available_sync', 'on'), 'port = 1\nmost_available_sync = on\n');
  });

  it('comments a setting out for `gs_guc set -c name`', () => {
    assert.equal(commentOutConfValue('port = 1\nwork_mem = 4MB\n', 'work_mem'), 'port = 1\n#work_mem = 4MB\n');
  });

  it('does not mistake prose comments for settings', () => {
    assert.equal(parseConf('# This is a comment about port\n').size, 0);
    assert.equal(setConfValue('# connection settings\n', 'port', '1'), '# connection settings\nport = 1\n');
  });

  it('unquotes doubled quotes and backslash escapes', () => {
    assert.equal(unquoteConfValue("'a''b\\'c'"), "a'b'c");
  });
});
