// [slow] Engine output against the golden samples of ../fixtures (taken from opengauss.md; see the
// README there), byte for byte after golden.ts's normalisation: gs_ctl status, build, switchover,
// failover, gs_guc set/reload, gsql's aligned output and error. Ports are the samples' (5432, HA 5433).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSandbox, queryField, replconninfo, waitFor, type Node, type Result, type Sandbox } from './harness.ts';
import { golden, mapValues, normalise } from './golden.ts';

const subnet = `127.46.${process.pid % 250}`;
const sampleDir = '/var/lib/opengauss/data';

describe('[slow] conformance with the golden openGauss samples', () => {
  let box: Sandbox;
  let a: Node;
  let b: Node;
  const env = { GAUSSHOME: '/usr/local/opengauss' };
  const run = (tool: string, node: Node, args: string[]): Result => box.run(tool, args, node, { env });
  const gsCtl = (node: Node, ...args: string[]): Result => run('gs_ctl', node, [...args, '-D', node.dataDir]);
  const sample = (node: Node, text: string): string =>
    normalise(mapValues(text, [[node.dataDir, sampleDir], [a.ip, '172.11.0.101'], [b.ip, '172.11.0.102']]));
  const assertGolden = (node: Node, result: Result, file: string, code = 0): void => {
    assert.equal(result.code, code, result.stdout + result.stderr);
    assert.equal(sample(node, result.stdout), normalise(golden(file)), file);
  };

  before(() => {
    box = createSandbox('og-engine-golden-');
    a = box.node('a', `${subnet}.2`, 5432);
    b = box.node('b', `${subnet}.3`, 5432);
    for (const [node, peer, name] of [[a, b, 'dn_6001'], [b, a, 'dn_6002']] as const) {
      assert.equal(box.run('gs_initdb', ['-D', node.dataDir, '--nodename', name, '-w', 'Secret@123', '--locale=C'], node).code, 0);
      box.appendConf(node, ['port = 5432', `listen_addresses = '${node.ip}'`, replconninfo(node, peer), `application_name = '${name}'`]);
    }
    assert.equal(gsCtl(a, 'start', '-M', 'primary').code, 0);
  });
  after(() => box.cleanup());

  it('gs_ctl status of a running primary (§2.2)', () => {
    assertGolden(a, gsCtl(a, 'status'), 'gs-ctl-status-running.txt');
  });

  it('gs_ctl build -b full -q with the node name in the prefix (§2.4)', async () => {
    assertGolden(b, gsCtl(b, 'build', '-b', 'full', '-q'), 'gs-ctl-build-full.txt');
    assert.equal(gsCtl(b, 'start', '-M', 'standby').code, 0);
    await waitFor(() => (queryField(gsCtl(b, 'query').stdout, 'HA state', 'db_state') === 'Normal' ? true : undefined), 15_000, 'b streaming');
  });

  it('gs_guc set and reload (§5.2)', () => {
    assertGolden(a, run('gs_guc', a, ['set', '-D', a.dataDir, '-c', 'max_connections=800']), 'gs-guc-set.txt');
    assertGolden(a, run('gs_guc', a, ['reload', '-D', a.dataDir, '-c', 'default_transaction_read_only=on']), 'gs-guc-reload.txt');
    run('gs_guc', a, ['reload', '-D', a.dataDir, '-c', 'default_transaction_read_only=off']);
  });

  it('gs_ctl switchover on the standby, then on the primary it became (§2.5)', async () => {
    assertGolden(b, gsCtl(b, 'switchover'), 'gs-ctl-switchover.txt');
    assertGolden(b, gsCtl(b, 'switchover'), 'gs-ctl-switchover-on-primary.txt');
    await waitFor(() => (queryField(gsCtl(a, 'query').stdout, 'HA state', 'db_state') === 'Normal' ? true : undefined), 15_000, 'a following b');
  });

  it('gs_ctl failover -T 3 with the primary stopped, then gsql shows the term (§2.5, §3)', () => {
    assert.equal(gsCtl(b, 'stop').code, 0);
    assertGolden(a, gsCtl(a, 'failover', '-T', '3'), 'gs-ctl-failover.txt');
    const aligned = run('gsql', a, ['-d', 'postgres', '-p', '5432', '-X', '-c', 'select pg_last_xlog_replay_location();']);
    assertGolden(a, aligned, 'gsql-aligned.txt');
  });

  it('gsql error format and exit code (§7)', () => {
    const error = run('gsql', a, ['-d', 'postgres', '-p', '5432', '-X', '-c', 'select * from no_such_table']);
    assert.equal(error.code, 1);
    assert.equal(error.stdout, '');
    assert.equal(error.stderr, golden('gsql-error.txt'));
  });

  it('gs_ctl status of a stopped instance exits 3 (§2.2)', () => {
    assertGolden(b, gsCtl(b, 'status'), 'gs-ctl-status-stopped.txt', 3);
  });
});
