import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConf } from './conf-file.ts';
import { buildPgConfig, type PgConfigInput } from './pg-config.ts';

function config(text: string, overrides: Partial<PgConfigInput> = {}): ReturnType<typeof buildPgConfig> {
  return buildPgConfig({
    entries: parseConf(text), mode: 'primary', dataDir: '/d', podIp: undefined, pgHostEnv: undefined, replUser: 'omm', engineDir: '/e', ...overrides,
  });
}

const base = "port = 6432\nreplconninfo1 = 'localhost=127.0.0.2 localport=6433 remotehost=127.0.0.3 remoteport=6433'\napplication_name = 'dn_1'\n";

describe('buildPgConfig', () => {
  it('keeps openGauss-only names as og.<name> so PostgreSQL starts', () => {
    const text = config(`${base}most_available_sync = on\nmax_process_memory = 2GB\n`).text;
    assert.match(text, /^og\.most_available_sync = 'on'$/m);
    assert.match(text, /^og\.max_process_memory = '2GB'$/m);
    assert.doesNotMatch(text, /^most_available_sync/m);
  });

  it('translates values PostgreSQL 15 rejects', () => {
    const text = config("synchronous_commit = remote_receive\nwal_level = hot_standby\nwal_keep_segments = 64\npassword_encryption_type = 0\nlc_messages = 'en_US.UTF-8'\n").text;
    assert.match(text, /^synchronous_commit = 'remote_write'$/m);
    assert.match(text, /^wal_level = 'replica'$/m);
    assert.match(text, /^wal_keep_size = '1024MB'$/m);
    assert.match(text, /^password_encryption = 'md5'$/m);
    assert.match(text, /^lc_messages = 'C.UTF-8'$/m);
  });

  it('listens on the Pod IP when told to listen everywhere', () => {
    assert.deepEqual(config("listen_addresses = '*'", { podIp: '127.10.0.5' }).listenAddresses, ['127.10.0.5']);
    assert.deepEqual(config("listen_addresses = '0.0.0.0'").listenAddresses, ['127.0.0.1']);
  });

  it('forces wal_log_hints and full_page_writes on for pg_rewind', () => {
    const text = config('full_page_writes = off\nwal_log_hints = off\n').text;
    assert.match(text, /^wal_log_hints = 'on'$/m);
    assert.match(text, /^full_page_writes = 'on'$/m);
    assert.doesNotMatch(text, /^(wal_log_hints|full_page_writes) = 'off'/m);
  });

  it('gives a standby a primary_conninfo built from replconninfo and its application_name', () => {
    const result = config(base, { mode: 'standby' });
    assert.match(result.text, /^primary_conninfo = 'host=127.0.0.3 port=6432 user=omm passfile=\/d\/og_replpass application_name=dn_1 target_session_attrs=read-write connect_timeout=2'$/m);
    assert.equal(result.port, 6432);
  });

  it('hands a standby with two or more peers the rotations of primary_conninfo for channel cycling', () => {
    const two = `${base}replconninfo2 = 'localhost=127.0.0.2 localport=6433 remotehost=127.0.0.4 remoteport=6433'\n`;
    const result = config(two, { mode: 'standby' });
    assert.equal(result.channelConnInfos.length, 2);
    assert.match(result.text, /^og\.channel_count = '2'$/m);
    assert.match(result.text, /^og\.channel_retry = '3'$/m);
    assert.match(result.text, /^og\.channel_conninfo0 = 'host=127\.0\.0\.3,127\.0\.0\.4 port=6432,6432 /m);
    assert.match(result.text, /^og\.channel_conninfo1 = 'host=127\.0\.0\.4,127\.0\.0\.3 port=6432,6432 /m);
    assert.equal(/^primary_conninfo = '(.*)'$/m.exec(result.text)?.[1], result.channelConnInfos[0]);
    assert.ok(result.text.indexOf("include_if_exists = 'og_channel.conf'") > result.text.indexOf('primary_conninfo = '));
    for (const mode of ['primary', 'pending', 'normal'] as const) {
      const other = config(two, { mode });
      assert.deepEqual(other.channelConnInfos, []);
      assert.match(other.text, /^og\.channel_count = '0'$/m);
    }
    assert.deepEqual(config(base, { mode: 'standby' }).channelConnInfos, []);
  });

  it('leaves a pending instance without a primary', () => {
    assert.match(config(base, { mode: 'pending' }).text, /^primary_conninfo = ''$/m);
  });

  it('never lets a Normal instance wait for standbys', () => {
    const text = config(`${base}synchronous_standby_names = 'FIRST 1 (dn_2)'\n`, { mode: 'normal' }).text;
    assert.match(text, /^synchronous_standby_names = ''$/m);
  });

  it('hands the parsed sync names to the most_available_sync controller', () => {
    const text = config(`${base}synchronous_standby_names = 'ANY 2(dn_2,dn_3)'\n`).text;
    assert.match(text, /^og\.sync_kind = 'ANY'$/m);
    assert.match(text, /^og\.sync_num = '2'$/m);
    assert.match(text, /^og\.sync_members = 'dn_2,dn_3'$/m);
  });

  it('puts the socket in unix_socket_directory, else $PGHOST, else /tmp', () => {
    assert.equal(config("unix_socket_directory = '/s'").socketDir, '/s');
    assert.equal(config('', { pgHostEnv: '/gauss/openGauss/tmp' }).socketDir, '/gauss/openGauss/tmp');
    assert.equal(config('').socketDir, '/tmp');
  });

  it('points PostgreSQL at the generated hba file and the controller override', () => {
    const text = config('').text;
    assert.match(text, /^hba_file = '\/d\/og_hba.conf'$/m);
    assert.match(text, /^include_if_exists = 'og_sync.conf'$/m);
  });
});
