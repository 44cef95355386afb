import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandArgv, PROBE_MARK, probeArgv } from './commands.ts';
import { exitCodeOf } from './exec.ts';
import { parseProbe } from './probe.ts';

// gs_ctl query of a primary with one synchronous standby (opengauss.md §2.3, TABs as printed).
export const PRIMARY_QUERY = [
  '[2024-05-06 10:02:00.001][316][][gs_ctl]: gs_ctl query ,datadir is /gaussdata/openGauss/db1 ',
  ' HA state:           ',
  '\tlocal_role                     : Primary',
  '\tstatic_connections             : 1',
  '\tdb_state                       : Normal',
  '\tdetail_information             : Normal',
  '',
  ' Senders info:       ',
  '\tsender_pid                     : 258',
  '\tlocal_role                     : Primary',
  '\tpeer_role                      : Standby',
  '\tpeer_state                     : Normal',
  '\tstate                          : Streaming',
  '\tsender_sent_location           : 0/3000550',
  '\treceiver_flush_location        : 0/3000550',
  '\tsync_percent                   : 100%',
  '\tsync_state                     : Sync',
  '\tsync_priority                  : 1',
  '\tchannel                        : 10.1.0.11:5433-->10.1.0.12:53786',
  '',
  ' Receiver info:      ',
  'No information ',
].join('\n');

const JSON_PRIMARY = '{"chkprocess":1, "chkconn":1, "maintenance":0, "pending":0, "primary":1, "standby":0, "standalone":0, "hang":0, "chkrepl":1, "buildstatus":3, "basebackup":0, "restore":0, "connections":1, "detailinfo":"Normal"}';
const REPL = "replconninfo1 = 'localhost=10.1.0.11 localport=5433 localservice=5436 localheartbeatport=5437 remotehost=10.1.0.12 remoteport=5433 remoteservice=5436 remoteheartbeatport=5437'";

const output = (json: string, query: string, repl: string) => `${json}\n${PROBE_MARK.query}\n${query}\n${PROBE_MARK.replconninfo}\n${repl}\n`;

describe('parseProbe', () => {
  it('reads role, state, build status and the standbys of a primary', () => {
    const p = parseProbe(output(JSON_PRIMARY, PRIMARY_QUERY, REPL), '10.1.0.11');
    assert.ok(p.ok);
    assert.equal(p.value.role, 'primary');
    assert.equal(p.value.dbState, 'Normal');
    assert.equal(p.value.process, true);
    assert.equal(p.value.wasMember, true);
    assert.equal(p.value.query?.senders[0]?.peerIp, '10.1.0.12');
    assert.equal(p.value.query?.senders[0]?.syncState, 'Sync');
  });

  it('sees a fresh member (no replconninfo1 naming it) as never configured', () => {
    const pending = JSON_PRIMARY.replace('"pending":0', '"pending":1').replace('"primary":1', '"primary":0').replace('"maintenance":0', '"maintenance":1');
    const p = parseProbe(output(pending, '', ''), '10.1.0.11');
    assert.ok(p.ok);
    assert.equal(p.value.role, 'pending');
    assert.equal(p.value.maintenance, true);
    assert.equal(p.value.wasMember, false);
  });

  it('keeps a whole detail such as Need repair / WAL segment removed from the query', () => {
    const query = ' HA state:\n\tlocal_role : Standby\n\tdb_state : Need repair\n\tdetail_information : WAL segment removed\n';
    const p = parseProbe(output(JSON_PRIMARY.replace('"primary":1', '"primary":0').replace('"standby":0', '"standby":1'), query, REPL), '10.1.0.12');
    assert.ok(p.ok);
    assert.deepEqual([p.value.role, p.value.dbState, p.value.detail], ['standby', 'Need repair', 'WAL segment removed']);
  });

  it('turns output without JSON into a failed probe, never an exception', () => {
    for (const text of ['', 'bash: K8SChkRepl.sh: No such file', '{"chkprocess":1,']) {
      const p = parseProbe(text, '10.1.0.11');
      assert.equal(p.ok, false);
    }
  });
});

describe('command catalogue', () => {
  it('runs the probe and every long command through bash, long ones in the background', () => {
    assert.equal(probeArgv()[0], 'bash');
    const build = commandArgv({ op: 'build' }).join(' ');
    assert.match(build, /^bash -c nohup .*gs_ctl build -D \/gaussdata\/openGauss\/db1 -b full.*&$/);
    assert.match(commandArgv({ op: 'start', role: 'primary' }).join(' '), /nohup gs_ctl restart -D \/gaussdata\/openGauss\/db1 -M primary .*&$/);
  });

  it('renders configure as one gs_guc reload without a shell', () => {
    const argv = commandArgv({ op: 'configure', settings: [{ name: 'application_name', value: "'og_10_1_0_11'" }], hba: [] });
    assert.deepEqual(argv, ['gs_guc', 'reload', '-D', '/gaussdata/openGauss/db1', '-c', "application_name='og_10_1_0_11'"]);
  });
});

describe('exitCodeOf', () => {
  it('reads 0 from Success and the ExitCode cause from NonZeroExitCode', () => {
    assert.equal(exitCodeOf({ status: 'Success' }), 0);
    assert.equal(exitCodeOf({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } }), 3);
    assert.equal(exitCodeOf({ status: 'Failure', message: 'container not found' }), undefined);
  });
});
