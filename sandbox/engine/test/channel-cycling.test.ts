// [slow] Walreceiver channel cycling (opengauss.md §2.3, §4.1): a standby whose first replconninfo
// peer rejects its replication connection at pg_hba must still reach the primary listed after it.
// libpq's multi-host conninfo stops at an authentication failure, so the engine rotates the order.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSandbox, queryField, replconninfo, sleep, waitFor, type Node, type Sandbox } from './harness.ts';

// A subnet per process, so parallel runs of the engine's test files never share addresses.
const subnet = `127.44.${process.pid % 250}`;

function channelLine(n: number, self: Node, peer: Node): string {
  return replconninfo(self, peer).replace(/^replconninfo1 /, `replconninfo${n} `);
}

describe('[slow] walreceiver channel cycling', () => {
  let box: Sandbox;
  let p: Node; // the primary, last in the standby's replconninfo
  let x: Node; // a fresh pending instance whose pg_hba has no entry for the standby
  let s: Node; // the standby
  const query = (node: Node): string => box.run('gs_ctl', ['query', '-D', node.dataDir], node).stdout;
  const serverLog = (node: Node): string => readFileSync(join(node.dataDir, 'og_server.log'), 'utf8');
  const reloads = (node: Node): number => serverLog(node).match(/received SIGHUP, reloading configuration files/g)?.length ?? 0;

  before(() => {
    box = createSandbox('og-engine-cycle-');
    p = box.node('p', `${subnet}.2`, 6432);
    x = box.node('x', `${subnet}.3`, 6432);
    s = box.node('s', `${subnet}.4`, 6432);
  });
  after(() => box.cleanup());

  it('sets up a primary, a pending instance that rejects the standby, and a standby listing that instance first', () => {
    const peers: [Node, Node[]][] = [[p, [s, x]], [x, [p]], [s, [x, p]]];
    for (const [node, list] of peers) {
      const init = box.run('gs_initdb', ['-D', node.dataDir, '--nodename', `dn_${node.name}`, '-w', 'Secret@123', '--locale=C', '-E=UTF-8'], node);
      assert.equal(init.code, 0, init.stderr);
      box.appendConf(node, [
        `port = ${node.port}`, `listen_addresses = '${node.ip}'`, `application_name = 'dn_${node.name}'`,
        ...list.map((peer, i) => channelLine(i + 1, node, peer)),
      ]);
    }
    assert.equal(box.run('gs_ctl', ['start', '-D', p.dataDir, '-M', 'primary'], p).code, 0);
    assert.equal(box.run('gs_ctl', ['start', '-D', x.dataDir, '-M', 'pending'], x).code, 0);
    const build = box.run('gs_ctl', ['build', '-D', s.dataDir, '-b', 'full'], s);
    assert.equal(build.code, 0, build.stdout + build.stderr);
    assert.match(build.stdout, new RegExp(`build try host\\(${x.ip.replace(/\./g, '\\.')}\\) port\\(6433\\) failed`));
    assert.match(build.stdout, new RegExp(`build try host\\(${p.ip.replace(/\./g, '\\.')}\\) port\\(6433\\) success`));
  });

  it('streams from the primary although the first peer rejects it at authentication', async () => {
    const started = Date.now();
    const text = await waitFor(() => {
      const out = query(s);
      return queryField(out, 'HA state', 'db_state') === 'Normal' ? out : undefined;
    }, 60_000, 'the standby streaming from the primary');
    process.stdout.write(`# standby reached the primary after ${Date.now() - started} ms\n`);
    assert.equal(queryField(text, 'HA state', 'detail_information'), 'Normal');
    assert.equal(queryField(text, 'Receiver info', 'peer_role'), 'Primary');
    assert.equal(queryField(text, 'Receiver info', 'channel'), `${s.ip}:0<--${p.ip}:6433`);
    // The scenario really happened: the first peer refused the standby at pg_hba.
    assert.match(serverLog(s), new RegExp(`no pg_hba.conf entry for replication connection from host "${s.ip.replace(/\./g, '\\.')}"`));
    assert.ok(existsSync(join(s.dataDir, 'og_channel.conf')), 'the rotation is kept in og_channel.conf');
    assert.equal(queryField(query(p), 'Senders info', 'channel')?.replace(/:\d+$/, ''), `${p.ip}:6433-->${s.ip}`);
  });

  it('replicates, stops reloading once it streams, and keeps its channel across a gs_guc reload', async () => {
    assert.equal(box.sql(p, 'CREATE TABLE t (v int); INSERT INTO t VALUES (7);').code, 0);
    await waitFor(() => (box.sql(s, 'SELECT v FROM t').stdout.trim() === '7' ? true : undefined), 10_000, 'the row on the standby');
    const before = reloads(s);
    await sleep(3500);
    assert.equal(reloads(s), before, 'no SIGHUP while streaming');
    const receiver = queryField(query(s), 'Receiver info', 'receiver_pid');
    assert.ok(receiver);
    assert.equal(box.run('gs_guc', ['reload', '-D', s.dataDir, '-c', 'work_mem=8MB'], s).code, 0);
    await waitFor(() => (box.sql(s, 'show work_mem').stdout.trim() === '8MB' ? true : undefined), 5000, 'the reloaded setting');
    assert.ok(existsSync(join(s.dataDir, 'og_channel.conf')), 'a reload that changes no peer keeps the rotation');
    const text = query(s);
    assert.equal(queryField(text, 'HA state', 'db_state'), 'Normal');
    assert.equal(queryField(text, 'Receiver info', 'receiver_pid'), receiver, 'the walreceiver was not restarted');
  });

  it('drops the rotation when the standby is promoted', async () => {
    const failover = box.run('gs_ctl', ['failover', '-D', s.dataDir], s);
    assert.equal(failover.code, 0, failover.stdout);
    assert.equal(queryField(query(s), 'HA state', 'local_role'), 'Primary');
    assert.ok(!existsSync(join(s.dataDir, 'og_channel.conf')));
    await sleep(2000);
    assert.ok(!existsSync(join(s.dataDir, 'og_channel.conf')), 'a primary never cycles');
    assert.doesNotMatch(box.sql(s, 'show primary_conninfo').stdout, /host=/);
  });
});
