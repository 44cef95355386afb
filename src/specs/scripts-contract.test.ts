// Contract tests of the in-pod scripts (assets/scripts), run with bash against stubbed openGauss
// tools in a temporary directory laid out like the pod: the scripts run from a copy of the
// ConfigMap directory, PGDATA and /gauss/files are temporary, and gs_ctl, gs_guc and gs_initdb are
// small bash stubs that record their arguments. A fake database process is a copy of `sleep`
// named gaussdb, so /proc/<pid>/comm reads as openGauss's.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { assetsDir, readAssets } from '../../scripts/gen-assets.ts';

const roots: string[] = [];
after(() => { for (const r of roots) rmSync(r, { recursive: true, force: true }); });

const GS_CTL = `#!/bin/bash
echo "gs_ctl $*" >> "$TOOL_LOG"
case $1 in
  start) n=$(cat "$STUB_DIR/start.failures" 2>/dev/null || echo 0)
    if [ "$n" -gt 0 ]; then echo $((n - 1)) > "$STUB_DIR/start.failures"; exit 1; fi
    "$FAKE_DB" 300 > /dev/null 2>&1 & echo $! > "$PGDATA/postmaster.pid"; exit 0 ;;
  stop) pid=$(head -n 1 "$PGDATA/postmaster.pid" 2>/dev/null); [ -n "$pid" ] && kill "$pid"; rm -f "$PGDATA/postmaster.pid"; exit 0 ;;
  query) [ -f "$STUB_DIR/query.txt" ] && cat "$STUB_DIR/query.txt"; exit "$(cat "$STUB_DIR/query.rc" 2>/dev/null || echo 0)" ;;
  querybuild) [ -f "$STUB_DIR/querybuild.txt" ] && cat "$STUB_DIR/querybuild.txt"; exit 0 ;;
esac
`;
const GS_GUC = `#!/bin/bash
printf '%s\\n' "gs_guc $*" >> "$TOOL_LOG"
[ -f "$STUB_DIR/gs_guc.fail" ] && grep -q -- "$(cat "$STUB_DIR/gs_guc.fail")" <<< "$*" && exit 1
exit 0
`;
const GS_INITDB = `#!/bin/bash
printf '%s\\n' "gs_initdb $*" >> "$TOOL_LOG"
for a in "$@"; do case $a in --pwfile=*) cp "\${a#--pwfile=}" "$STUB_DIR/pw.seen" ;; esac; done
mkdir -p "$PGDATA" && echo 9.2 > "$PGDATA/PG_VERSION"
printf 'local all all trust\\nhost all all 127.0.0.1/32 trust\\nhost all all 10.0.0.2/32 trust\\nhost all all 0.0.0.0/0 md5\\n' > "$PGDATA/pg_hba.conf"
`;

type Pod = { root: string; env: NodeJS.ProcessEnv; cm: string; files: string; pgdata: string; stub: string; log: string };

function aPod(): Pod {
  const root = mkdtempSync(join(tmpdir(), 'og-scripts-'));
  roots.push(root);
  const [bin, cm, files, stub, arch] = ['bin', 'cm', 'files', 'stub', 'arch'].map((d) => join(root, d)) as [string, string, string, string, string];
  for (const d of [bin, cm, files, stub, arch]) mkdirSync(d, { recursive: true });
  for (const [name] of readAssets()) copyFileSync(join(assetsDir, name), join(cm, name));
  writeFileSync(join(cm, 'postgres-cm.conf'), '# baseline\nport=26000\nwal_log_hints=on\n\nlisten_addresses=\'*\'\n');
  writeFileSync(join(cm, 'postgres-user.conf'), '# user\nwork_mem=128MB\nbad_one=1\n');
  for (const [name, text] of [['gs_ctl', GS_CTL], ['gs_guc', GS_GUC], ['gs_initdb', GS_INITDB]] as const) {
    writeFileSync(join(bin, name), text);
    chmodSync(join(bin, name), 0o755);
  }
  copyFileSync('/bin/sleep', join(bin, 'gaussdb'));
  chmodSync(join(bin, 'gaussdb'), 0o755);
  const pgdata = join(root, 'data', 'db1');
  const log = join(stub, 'tools.log');
  const env = {
    PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`, PGDATA: pgdata, GAUSSLOG: join(arch, 'log', 'omm'), OG_ARCH: arch,
    OG_FILES: files, OG_CM_DIR: cm, STUB_DIR: stub, TOOL_LOG: log, FAKE_DB: join(bin, 'gaussdb'), TMPDIR: root,
  };
  return { root, env, cm, files, pgdata, stub, log };
}

function run(pod: Pod, script: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync('bash', [join(pod.cm, script), ...args], { env: { ...pod.env, ...env }, encoding: 'utf8', timeout: 20_000 });
}

const toolLog = (pod: Pod): string[] => (existsSync(pod.log) ? readFileSync(pod.log, 'utf8').trim().split('\n') : []);

function startFakeDb(pod: Pod): number {
  mkdirSync(pod.pgdata, { recursive: true });
  const child = spawn(pod.env['FAKE_DB'] ?? '', ['300'], { detached: true, stdio: 'ignore' });
  child.unref();
  const pid = child.pid ?? 0;
  writeFileSync(join(pod.pgdata, 'postmaster.pid'), `${pid}\n${pod.pgdata}\n`);
  return pid;
}

const kill = (pid: number): void => { try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ } };

describe('every shipped script', () => {
  for (const [name] of readAssets()) {
    it(`${name} passes bash -n`, () => {
      const out = spawnSync('bash', ['-n', join(assetsDir, name)], { encoding: 'utf8' });
      assert.equal(out.status, 0, out.stderr);
    });
  }
});

const field = (name: string, value: string) => `\t${name.padEnd(30)} : ${value}`;

describe('K8SChkRepl.sh prints 2.0\'s JSON', () => {
  it('reports a healthy primary', () => {
    const pod = aPod();
    const pid = startFakeDb(pod);
    writeFileSync(join(pod.stub, 'query.txt'), [' HA state:           ', field('local_role', 'Primary'), field('static_connections', '2'), field('db_state', 'Normal'), field('detail_information', 'Normal'), ''].join('\n'));
    const out = run(pod, 'K8SChkRepl.sh');
    kill(pid);
    assert.equal(out.status, 0, out.stderr);
    assert.deepEqual(toolLog(pod).filter((l) => l.includes('querybuild')), [], 'a Normal database is not asked about builds');
    assert.match(out.stdout, /^\{"chkprocess":1, "chkconn":1, "maintenance":0, "pending":0, "primary":1, "standby":0, "standalone":0, "hang":0, "chkrepl":1, "buildstatus":3, "basebackup":0, "restore":0, "connections":2, "busy":0, "detailinfo":"Normal"\}\n$/);
  });

  it('keeps a multi-word detail whole and flags maintenance, a standby and a finished restore', () => {
    const pod = aPod();
    writeFileSync(join(pod.files, 'maintenance'), '');
    writeFileSync(join(pod.files, 'restore.log'), 'restoring x\nRestore DB data complete.\n');
    writeFileSync(join(pod.stub, 'query.txt'), [' HA state:', '        local_role                    : Standby', '        db_state                      : Need repair', '        detail_information            : WAL segment removed', ''].join('\n'));
    writeFileSync(join(pod.stub, 'querybuild.txt'), ' HA state:\n        db_state                      : Build failed\n');
    const json = JSON.parse(run(pod, 'K8SChkRepl.sh').stdout) as Record<string, unknown>;
    assert.equal(toolLog(pod).filter((l) => l.includes('querybuild')).length, 1);
    assert.deepEqual(
      [json['maintenance'], json['standby'], json['chkrepl'], json['chkprocess'], json['restore'], json['buildstatus'], json['detailinfo']],
      [1, 1, 0, 0, 1, 1, 'WAL segment removed'],
    );
  });

  it('follows the JSON with the mark and the whole gs_ctl query output when OG_PROBE_QUERY_MARK is set, and flags a gs_ctl at work as busy', () => {
    const pod = aPod();
    const query = [' HA state:           ', field('local_role', 'Standby'), field('db_state', 'Normal'), ''].join('\n');
    writeFileSync(join(pod.stub, 'query.txt'), query);
    mkdirSync(pod.pgdata, { recursive: true });
    writeFileSync(join(pod.pgdata, 'pg_ctl.lock'), `${process.pid}\n`);
    const out = run(pod, 'K8SChkRepl.sh', [], { OG_PROBE_QUERY_MARK: '@@mark@@' });
    const [json = '', rest = ''] = out.stdout.split('@@mark@@\n');
    assert.equal((JSON.parse(json) as Record<string, unknown>)['busy'], 1);
    assert.equal(rest.trimEnd(), query.trimEnd());
  });

  it('reports no connection when gs_ctl query fails, and escapes the detail as JSON', () => {
    const pod = aPod();
    writeFileSync(join(pod.stub, 'query.rc'), '1');
    writeFileSync(join(pod.stub, 'query.txt'), ' HA state:\n\tdetail_information : say "hi" \\ there\n');
    const json = JSON.parse(run(pod, 'K8SChkRepl.sh').stdout) as Record<string, unknown>;
    assert.equal(json['chkconn'], 0);
    assert.equal(json['detailinfo'], 'say "hi" \\ there');
  });
});

describe('k8s-initenv.sh', () => {
  it('initialises a new volume through a password file, then applies the baseline in one call and the user settings one by one', () => {
    const pod = aPod();
    writeFileSync(join(pod.stub, 'gs_guc.fail'), 'bad_one');
    const out = run(pod, 'k8s-initenv.sh', [], { NEED_INIT: 'true', OG_PASSWORD: 'Secret#Pass1' });
    assert.equal(out.status, 0, out.stderr);
    const log = toolLog(pod);
    assert.ok(log[0]?.startsWith('gs_initdb --locale=C -E UTF-8 --pwfile='));
    assert.ok(log.every((l) => !l.includes('Secret#Pass1')), 'the password never appears on a command line');
    assert.equal(readFileSync(join(pod.stub, 'pw.seen'), 'utf8'), 'Secret#Pass1\n');
    assert.deepEqual(readdirSync(pod.root).filter((f) => f.startsWith('og-initdb')), [], 'the password file is removed');
    assert.ok(log.includes(`gs_guc set -D ${pod.pgdata} -c port=26000 -c wal_log_hints=on -c listen_addresses='*'`));
    assert.ok(log.includes(`gs_guc set -D ${pod.pgdata} -c work_mem=128MB`));
    assert.match(out.stderr, /spec\.config bad_one was not applied/);
    assert.ok(log.includes(`gs_guc set -D ${pod.pgdata} -h host all all 10.0.0.2/32`), 'remote trust is commented out');
    assert.ok(!log.some((l) => l.includes('127.0.0.1/32')), 'loopback trust stays');
  });

  it('never initialises over an existing database', () => {
    const pod = aPod();
    mkdirSync(pod.pgdata, { recursive: true });
    writeFileSync(join(pod.pgdata, 'PG_VERSION'), '9.2\n');
    const out = run(pod, 'k8s-initenv.sh', [], { NEED_INIT: 'true', OG_PASSWORD: 'Secret#Pass1' });
    assert.equal(out.status, 0, out.stderr);
    assert.ok(!toolLog(pod).some((l) => l.startsWith('gs_initdb')));
  });

  it('refuses to initialise an empty volume unless NEED_INIT is true', () => {
    const pod = aPod();
    const out = run(pod, 'k8s-initenv.sh', [], { OG_PASSWORD: 'Secret#Pass1' });
    assert.equal(out.status, 1);
    assert.deepEqual(toolLog(pod), []);
  });

  it('refuses a weak initial password', () => {
    const pod = aPod();
    const out = run(pod, 'k8s-initenv.sh', [], { NEED_INIT: 'true', OG_PASSWORD: 'weakpass' });
    assert.equal(out.status, 1);
    assert.match(out.stderr, /at least 8 characters/);
  });

  it('moves an incomplete data directory aside instead of deleting it', () => {
    const pod = aPod();
    mkdirSync(pod.pgdata, { recursive: true });
    writeFileSync(join(pod.pgdata, 'postgresql.conf'), 'leftover\n');
    assert.equal(run(pod, 'k8s-initenv.sh', [], { NEED_INIT: 'true', OG_PASSWORD: 'Secret#Pass1' }).status, 0);
    const aside = readdirSync(join(pod.root, 'data')).filter((d) => d.startsWith('db1.partial-'));
    assert.equal(aside.length, 1);
  });
});

function waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const tick = (): void => {
      if (predicate()) resolve(true);
      else if (Date.now() > deadline) resolve(false);
      else setTimeout(tick, 100);
    };
    tick();
  });
}

describe('og.entrypoint.sh', () => {
  const watchEnv = { OG_WATCH_INTERVAL_SECONDS: '1', OG_DEAD_GRACE_SECONDS: '2' };

  it('starts the database pending, links the ConfigMap files and exits 1 when the database dies outside maintenance', async () => {
    const pod = aPod();
    mkdirSync(pod.pgdata, { recursive: true });
    writeFileSync(join(pod.pgdata, 'PG_VERSION'), '9.2\n');
    const child = spawn('bash', [join(pod.cm, 'og.entrypoint.sh')], { env: { ...pod.env, ...watchEnv }, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    assert.ok(await waitFor(() => existsSync(join(pod.pgdata, 'postmaster.pid')), 5000), 'the database was started');
    assert.ok(toolLog(pod).includes(`gs_ctl start -D ${pod.pgdata} -M pending`));
    assert.ok(existsSync(join(pod.files, 'maintenance')), 'a fresh member is hands-off');
    assert.ok(existsSync(join(pod.files, 'K8SChkRepl.sh')), 'the probe is linked into /gauss/files');
    rmSync(join(pod.files, 'maintenance'));
    kill(Number(readFileSync(join(pod.pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]));
    assert.equal(await exited, 1);
  });

  it('retries a failed start, so a member whose first start fails still comes up', async () => {
    const pod = aPod();
    mkdirSync(pod.pgdata, { recursive: true });
    writeFileSync(join(pod.pgdata, 'PG_VERSION'), '9.2\n');
    writeFileSync(join(pod.stub, 'start.failures'), '2\n');
    const child = spawn('bash', [join(pod.cm, 'og.entrypoint.sh')], { env: { ...pod.env, ...watchEnv, OG_START_RETRY_SECONDS: '0' }, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    assert.ok(await waitFor(() => existsSync(join(pod.pgdata, 'postmaster.pid')), 5000), 'the third attempt started the database');
    assert.equal(toolLog(pod).filter((l) => l.startsWith('gs_ctl start')).length, 3);
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  it('exits 1 when the database never starts, so the kubelet restarts the container', async () => {
    const pod = aPod();
    mkdirSync(pod.pgdata, { recursive: true });
    writeFileSync(join(pod.pgdata, 'PG_VERSION'), '9.2\n');
    writeFileSync(join(pod.stub, 'start.failures'), '99\n');
    const child = spawn('bash', [join(pod.cm, 'og.entrypoint.sh')], { env: { ...pod.env, ...watchEnv, OG_START_RETRY_SECONDS: '0' }, stdio: 'ignore' });
    assert.equal(await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))), 1);
    assert.equal(toolLog(pod).filter((l) => l.startsWith('gs_ctl start')).length, 5);
  });

  it('keeps running while in maintenance and stops the database on SIGTERM', async () => {
    const pod = aPod();
    mkdirSync(pod.pgdata, { recursive: true });
    writeFileSync(join(pod.pgdata, 'PG_VERSION'), '9.2\n');
    const child = spawn('bash', [join(pod.cm, 'og.entrypoint.sh')], { env: { ...pod.env, ...watchEnv }, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    assert.ok(await waitFor(() => existsSync(join(pod.pgdata, 'postmaster.pid')), 5000));
    kill(Number(readFileSync(join(pod.pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]));
    assert.equal(await waitFor(() => child.exitCode !== null, 3500), false, 'maintenance excuses a stopped database');
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  it('stays up without starting anything when the data directory has no database', async () => {
    const pod = aPod();
    const child = spawn('bash', [join(pod.cm, 'og.entrypoint.sh')], { env: { ...pod.env, ...watchEnv }, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    assert.equal(await waitFor(() => child.exitCode !== null, 3000), false);
    assert.deepEqual(toolLog(pod), []);
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});

describe('og-liveness.sh', () => {
  it('passes while the database runs or in maintenance, and fails otherwise', () => {
    const pod = aPod();
    assert.equal(run(pod, 'og-liveness.sh').status, 1);
    writeFileSync(join(pod.files, 'maintenance'), '');
    assert.equal(run(pod, 'og-liveness.sh').status, 0);
    rmSync(join(pod.files, 'maintenance'));
    const pid = startFakeDb(pod);
    assert.equal(run(pod, 'og-liveness.sh').status, 0);
    kill(pid);
  });

  it('passes while a gs_ctl command holds the data directory lock', () => {
    const pod = aPod();
    mkdirSync(pod.pgdata, { recursive: true });
    writeFileSync(join(pod.pgdata, 'pg_ctl.lock'), `${process.pid}\n`);
    assert.equal(run(pod, 'og-liveness.sh').status, 0);
  });
});

describe('og-restore.sh', () => {
  function archive(pod: Pod, withDatabase: boolean): string {
    const src = join(pod.root, 'backup-src');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, withDatabase ? 'PG_VERSION' : 'README'), 'x\n');
    const file = join(pod.root, 'backup.tar.gz');
    spawnSync('tar', ['-czf', file, '-C', src, '.']);
    return file;
  }

  it('replaces the data directory and ends with 2.0\'s success line', () => {
    const pod = aPod();
    mkdirSync(pod.pgdata, { recursive: true });
    writeFileSync(join(pod.pgdata, 'old'), '');
    const out = run(pod, 'og-restore.sh', ['-backupFile', archive(pod, true), '-dataDir', pod.pgdata]);
    assert.equal(out.status, 0, out.stdout + out.stderr);
    assert.equal(out.stdout.trim().split('\n').at(-1), 'Restore DB data complete.');
    assert.ok(existsSync(join(pod.pgdata, 'PG_VERSION')));
    assert.equal((statSync(pod.pgdata).mode & 0o777).toString(8), '700');
  });

  it('puts the old directory back when the archive holds no database', () => {
    const pod = aPod();
    mkdirSync(pod.pgdata, { recursive: true });
    writeFileSync(join(pod.pgdata, 'old'), '');
    const out = run(pod, 'og-restore.sh', ['-backupFile', archive(pod, false), '-dataDir', pod.pgdata]);
    assert.equal(out.status, 1);
    assert.match(out.stdout.trim().split('\n').at(-1) ?? '', /^Restore DB data failed: /);
    assert.ok(existsSync(join(pod.pgdata, 'old')));
  });
});

describe('volume-permissions.sh', () => {
  it('creates the subPath directories and gives foreign ones to omm, leaving owned ones alone', { skip: process.getuid?.() !== 0 }, () => {
    const pod = aPod();
    const root = join(pod.root, 'vol');
    mkdirSync(join(root, 'data', 'db1', 'db1'), { recursive: true });
    const out = spawnSync('bash', [join(pod.cm, 'volume-permissions.sh')], { env: { ...pod.env, OG_VOLUMES_ROOT: root, OMM_UID: '4242' }, encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    for (const dir of ['data/db1', 'data/db1/db1', 'log/log', 'backup', 'archive']) assert.equal(statSync(join(root, dir)).uid, 4242, dir);
    assert.match(out.stdout, /giving .*data\/db1 to 4242:4242/);
    const again = spawnSync('bash', [join(pod.cm, 'volume-permissions.sh')], { env: { ...pod.env, OG_VOLUMES_ROOT: root, OMM_UID: '4242' }, encoding: 'utf8' });
    assert.equal(again.stdout, '', 'an owned volume is not walked again');
  });
});
