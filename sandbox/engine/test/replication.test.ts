// [slow] Two real PostgreSQL 15 servers driven through gs_initdb, gs_ctl, gs_guc and gsql on loopback
// addresses: build, streaming with sync state, switchover, failover, divergence, most_available_sync.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { queryShape, sections } from './query-shape.ts';
import { createSandbox, queryField, replconninfo, waitFor, type Node, type Sandbox } from './harness.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
// A subnet per process, so parallel runs of this file never share addresses.
const subnet = `127.42.${process.pid % 250}`;

describe('[slow] openGauss replication over PostgreSQL 15', () => {
  let box: Sandbox;
  let a: Node;
  let b: Node;
  const query = (node: Node): string => box.run('gs_ctl', ['query', '-D', node.dataDir], node).stdout;

  before(() => {
    box = createSandbox('og-engine-repl-');
    a = box.node('a', `${subnet}.2`, 6432);
    b = box.node('b', `${subnet}.3`, 6432);
  });
  after(() => box.cleanup());

  it('initialises and starts a primary that gs_ctl query reports as Primary', () => {
    for (const [node, peer] of [[a, b], [b, a]] as const) {
      const init = box.run('gs_initdb', ['-D', node.dataDir, '--nodename', `dn_${node.name}`, '-w', 'Secret@123', '--locale=C', '-E=UTF-8'], node);
      assert.equal(init.code, 0, init.stderr);
      box.appendConf(node, [
        `port = ${node.port}`, `listen_addresses = '${node.ip}'`, replconninfo(node, peer), `application_name = 'dn_${node.name}'`,
        `synchronous_standby_names = 'FIRST 1 (dn_${peer.name})'`, 'most_available_sync = on', 'synchronous_commit = remote_receive',
        'full_page_writes = off', 'wal_log_hints = off', 'wal_keep_segments = 16',
      ]);
    }
    const started = Date.now();
    const start = box.run('gs_ctl', ['start', '-D', a.dataDir, '-M', 'primary'], a);
    const startMs = Date.now() - started;
    assert.equal(start.code, 0, start.stdout);
    assert.match(start.stdout, /\]\[gs_ctl\]: server started \(/);
    const text = query(a);
    assert.equal(queryField(text, 'HA state', 'local_role'), 'Primary');
    assert.equal(queryField(text, 'HA state', 'static_connections'), '1');
    assert.match(text, / Senders info: {7}\nNo information \n Receiver info: {6}\nNo information \n$/);
    process.stdout.write(`# gs_ctl start -M primary took ${startMs} ms\n`);
  });

  it('builds a standby with gs_ctl build -b full that streams synchronously, in openGauss\'s query format', async () => {
    const started = Date.now();
    const build = box.run('gs_ctl', ['build', '-D', b.dataDir, '-b', 'full'], b);
    process.stdout.write(`# gs_ctl build -b full (and start) took ${Date.now() - started} ms\n`);
    assert.equal(build.code, 0, build.stdout + build.stderr);
    assert.match(build.stdout, /\]\[dn_b\]\[gs_ctl\]: build try host\(127\.42\.\d+\.2\) port\(6433\) success/);
    assert.match(build.stdout, /full build build completed\(/);
    const primaryText = await waitFor(() => {
      const text = query(a);
      return queryField(text, 'Senders info', 'sync_state') === 'Sync' && queryField(text, 'Senders info', 'state') === 'Streaming' ? text : undefined;
    }, 15_000, 'a synchronous streaming sender');
    const golden = readFileSync(join(fixtures, 'gs-ctl-query-primary.txt'), 'utf8');
    assert.equal(queryShape(primaryText).replace(/datadir is \S+ /, 'datadir is <dir> '), queryShape(golden).replace(/datadir is \S+ /, 'datadir is <dir> '));
    assert.equal(queryField(primaryText, 'Senders info', 'channel')?.replace(/:\d+$/, ''), `${a.ip}:6433-->${b.ip}`);
    const standbyText = await waitFor(() => {
      const text = query(b);
      return queryField(text, 'HA state', 'db_state') === 'Normal' && queryField(text, 'Receiver info', 'sync_percent') === '100%' ? text : undefined;
    }, 15_000, 'a Normal, caught-up standby');
    assert.equal(queryShape(sections(standbyText)), queryShape(readFileSync(join(fixtures, 'gs-ctl-query-standby.txt'), 'utf8')));
    assert.equal(queryField(standbyText, 'Receiver info', 'channel'), `${b.ip}:0<--${a.ip}:6433`);
  });

  it('replicates a row written on the primary to the standby, read with gsql', async () => {
    assert.equal(box.sql(a, 'CREATE TABLE t (v int); INSERT INTO t VALUES (42);').code, 0);
    await waitFor(() => (box.sql(b, 'SELECT v FROM t').stdout.trim() === '42' ? true : undefined), 10_000, 'the row on the standby');
    assert.match(box.sql(b, 'select term, lsn from pg_last_xlog_replay_location()').stdout, /^1\|[0-9A-F]+\/[0-9A-F]+$/m);
  });

  it('reloads synchronous_standby_names and replconninfo with gs_guc', async () => {
    const off = box.run('gs_guc', ['reload', '-D', a.dataDir, '-c', "synchronous_standby_names=''"], a);
    assert.equal(off.code, 0, off.stdout);
    assert.match(off.stdout, /^gs_guc reload: synchronous_standby_names='': \[.*postgresql\.conf\]\nserver signaled\n\nTotal instances: 1\. Failed instances: 0\.\nSuccess to perform gs_guc!\n/m);
    await waitFor(() => (queryField(query(a), 'Senders info', 'sync_state') === 'Async' ? true : undefined), 5000, 'Async');
    box.run('gs_guc', ['reload', '-D', a.dataDir, '-c', `synchronous_standby_names='FIRST 1 (dn_b)'`, '-c', `replconninfo2='localhost=${a.ip} localport=6433 remotehost=${subnet}.9 remoteport=6433'`], a);
    await waitFor(() => {
      const text = query(a);
      return queryField(text, 'Senders info', 'sync_state') === 'Sync' && queryField(text, 'HA state', 'static_connections') === '2' ? true : undefined;
    }, 5000, 'Sync again with two replconninfo entries');
    const bad = box.run('gs_guc', ['reload', '-D', a.dataDir, '-c', 'replconninfo2=localhost=x'], a);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /Please do it like this "parameter = 'value'"/);
    box.run('gs_guc', ['reload', '-D', a.dataDir, '-c', "replconninfo2=''"], a);
  });

  it('keeps committing when the sync standby stops (most_available_sync) and restores sync when it returns', async () => {
    assert.equal(box.run('gs_ctl', ['stop', '-D', b.dataDir], b).code, 0);
    const started = Date.now();
    const insert = box.sql(a, "SET statement_timeout = '8s'; INSERT INTO t VALUES (1);");
    assert.equal(insert.code, 0, insert.stderr);
    assert.ok(Date.now() - started < 5000, `commit took ${Date.now() - started} ms`);
    await waitFor(() => (box.sql(a, 'show synchronous_standby_names').stdout.trim() === '' ? true : undefined), 5000, 'standalone primary');
    assert.equal(box.run('gs_ctl', ['start', '-D', b.dataDir, '-M', 'standby'], b).code, 0);
    await waitFor(() => (queryField(query(a), 'Senders info', 'sync_state') === 'Sync' ? true : undefined), 10_000, 'Sync after the standby returned');
    assert.equal(box.sql(a, 'show synchronous_standby_names').stdout.trim(), 'FIRST 1 (dn_b)');
  });

  it('switches over: the standby becomes primary and the old primary follows it', async () => {
    const started = Date.now();
    const result = box.run('gs_ctl', ['switchover', '-D', b.dataDir], b);
    process.stdout.write(`# gs_ctl switchover took ${Date.now() - started} ms\n`);
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /\]\[gs_ctl\]: switchover term \(1\)\n.*waiting for server to switchover\.*\n.*\]\[gs_ctl\]: done\n.*switchover completed \(/);
    assert.equal(queryField(query(b), 'HA state', 'local_role'), 'Primary');
    await waitFor(() => {
      const text = query(a);
      return queryField(text, 'HA state', 'local_role') === 'Standby' && queryField(text, 'HA state', 'db_state') === 'Normal' ? true : undefined;
    }, 15_000, 'the old primary streaming as a standby');
    assert.equal(box.sql(b, 'INSERT INTO t VALUES (2)').code, 0);
    await waitFor(() => (box.sql(a, 'SELECT count(*) FROM t WHERE v = 2').stdout.trim() === '1' ? true : undefined), 10_000, 'the row on the old primary');
  });

  it('fails over with -T, shows the diverged old primary as Need repair and repairs it with an incremental build', async () => {
    const failover = box.run('gs_ctl', ['failover', '-D', a.dataDir, '-T', '3'], a);
    assert.equal(failover.code, 0, failover.stdout);
    assert.match(failover.stdout, /failover term \(3\)/);
    assert.equal(queryField(query(a), 'HA state', 'local_role'), 'Primary');
    assert.match(box.sql(a, 'select pg_last_xlog_replay_location()').stdout, /^\(3,/m);
    // b was never fenced: a write there diverges it from a.
    assert.equal(box.sql(b, 'INSERT INTO t VALUES (99)').code, 0);
    assert.equal(box.run('gs_ctl', ['restart', '-D', b.dataDir, '-M', 'standby'], b).code, 0);
    await waitFor(() => {
      const text = query(b);
      return queryField(text, 'HA state', 'db_state') === 'Need repair' ? text : undefined;
    }, 15_000, 'Need repair on the diverged old primary');
    assert.equal(queryField(query(b), 'HA state', 'detail_information'), 'WAL segment removed');
    const refused = box.run('gs_ctl', ['build', '-D', a.dataDir], a);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /The local server run as Primary,build cannot be executed\./);
    const build = box.run('gs_ctl', ['build', '-D', b.dataDir, '-b', 'incremental'], b);
    assert.equal(build.code, 0, build.stdout);
    await waitFor(() => (queryField(query(b), 'HA state', 'db_state') === 'Normal' ? true : undefined), 15_000, 'Normal after the build');
    assert.equal(box.sql(b, 'SELECT count(*) FROM t WHERE v = 99').stdout.trim(), '0');
    assert.match(readFileSync(join(b.dataDir, 'postgresql.conf'), 'utf8'), new RegExp(`listen_addresses = '${b.ip.replace(/\./g, '\\.')}'`));
    assert.match(box.sql(b, 'select term from pg_last_xlog_replay_location()').stdout, /^3$/m);
  });

  it('reports status, stops, and refuses what openGauss refuses', () => {
    const status = box.run('gs_ctl', ['status', '-D', a.dataDir], a);
    assert.equal(status.code, 0);
    assert.match(status.stdout, /gs_ctl: server is running \(PID: \d+\)\n.*\/bin\/gaussdb "-D" ".*" "-M" "primary"\n/);
    assert.equal(box.run('gs_ctl', ['stop', '-D', b.dataDir, '-m', 'smart'], b).code, 1);
    assert.equal(box.run('gs_ctl', ['stop', '-D', b.dataDir, '-m', 'immediate'], b).code, 0);
    const stopped = box.run('gs_ctl', ['status', '-D', b.dataDir], b);
    assert.equal(stopped.code, 3);
    assert.match(stopped.stdout, /no server running/);
    const again = box.run('gs_ctl', ['stop', '-D', b.dataDir], b);
    assert.equal(again.code, 1);
    assert.match(again.stdout, /PID file ".*postmaster\.pid" does not exist\.\n.*Is server running\?/);
    assert.equal(box.run('gs_ctl', ['start', '-D', a.dataDir, '-M', 'primary'], a).code, 0, 'start when running exits 0');
  });
});
