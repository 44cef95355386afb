// [slow] The gs_ctl verbs and tools the replication test does not reach, on real PostgreSQL 15
// servers: notify, reload, querybuild, build -b auto / standby_full, gaussdb -p/-c in the foreground,
// the sudo shim, and gs_tar on a gs_basebackup -F tar backup (opengauss.md §2.2, §2.4, §2.5, §9.2;
// seed-operator.md §3.4, §3.5).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createSandbox, isRoot, queryField, replconninfo, waitFor, type Node, type Sandbox } from './harness.ts';

const subnet = `127.45.${process.pid % 250}`;
const prefix = String.raw`\[[^\]]+\]\[\d+\]\[[^\]]*\]\[gs_ctl\]: `;

describe('[slow] gs_ctl notify, reload, querybuild, build modes, gaussdb, sudo and gs_tar', () => {
  let box: Sandbox;
  let p: Node;
  let s: Node;
  let q: Node;
  let g: Node;
  const gsCtl = (node: Node, ...args: string[]) => box.run('gs_ctl', [...args, '-D', node.dataDir], node);
  const query = (node: Node): string => gsCtl(node, 'query').stdout;
  const streamingStandby = (node: Node) => () => {
    const text = query(node);
    return queryField(text, 'HA state', 'local_role') === 'Standby' && queryField(text, 'HA state', 'db_state') === 'Normal' ? text : undefined;
  };

  before(() => {
    box = createSandbox('og-engine-verbs-');
    p = box.node('p', `${subnet}.2`, 6432);
    s = box.node('s', `${subnet}.3`, 6432);
    q = box.node('q', `${subnet}.4`, 6432);
    g = box.node('g', `${subnet}.5`, 6500);
    // Every member lists the others, as the official example and the operator write it.
    const peers: ReadonlyArray<readonly [Node, readonly Node[]]> = [[p, [s, q]], [s, [p, q]], [q, [p, s]], [g, []]];
    for (const [node, others] of peers) {
      const init = box.run('gs_initdb', ['-D', node.dataDir, '--nodename', `dn_${node.name}`, '-w', 'Secret@123', '--locale=C'], node);
      assert.equal(init.code, 0, init.stderr);
      box.appendConf(node, [
        'port = 6432', `listen_addresses = '${node.ip}'`, `application_name = 'dn_${node.name}'`,
        ...others.map((peer, i) => replconninfo(node, peer).replace('replconninfo1', `replconninfo${i + 1}`)),
      ]);
    }
  });
  after(() => box.cleanup());

  it('notify -M primary turns a Pending instance into a Primary with the term; elsewhere it is refused', () => {
    assert.equal(gsCtl(p, 'start', '-M', 'pending').code, 0);
    assert.equal(queryField(query(p), 'HA state', 'local_role'), 'Pending');
    const notify = gsCtl(p, 'notify', '-M', 'primary', '-T', '2');
    assert.equal(notify.code, 0, notify.stdout);
    assert.match(notify.stdout, new RegExp(`^${prefix}gs_ctl notify ,datadir is ${p.dataDir} \n${prefix}notify primary term \\(2\\)\n${prefix}waiting for server to response\\.\\.\\.\n${prefix}done\n${prefix}notify server completed, mode change to Primary\n$`));
    assert.equal(queryField(query(p), 'HA state', 'local_role'), 'Primary');
    assert.equal(box.sql(p, 'select term from pg_last_xlog_replay_location()').stdout.trim(), '2');
    const again = gsCtl(p, 'notify', '-M', 'primary');
    assert.equal(again.code, 1);
    assert.match(again.stdout, new RegExp(`${prefix} only support notify server in pending mode; or notify server to primary in normal mode\n$`));
    const stopped = gsCtl(q, 'notify', '-M', 'standby');
    assert.equal(stopped.code, 1);
    assert.match(stopped.stdout, /PID file ".*postmaster\.pid" does not exist\.\n.*Is server running\?\n$/);
  });

  it('build -b auto falls back to a full build when the incremental one cannot apply, then streams', async () => {
    // s was initialised on its own: pg_rewind refuses a cluster of another system, not a connection failure.
    const build = gsCtl(s, 'build', '-b', 'auto');
    assert.equal(build.code, 0, build.stdout);
    assert.match(build.stdout, new RegExp(`^\\[[^\\]]+\\]\\[\\d+\\]\\[dn_s\\]\\[gs_ctl\\]: gs_ctl incremental build ,datadir is ${s.dataDir}\n`));
    assert.match(build.stdout, new RegExp(`build try host\\(${p.ip}\\) port\\(6433\\) success\n.*connected to server success, build started\\.\n`));
    assert.doesNotMatch(build.stdout, /skip full build/);
    assert.match(build.stdout, /full build build completed\(/);
    await waitFor(streamingStandby(s), 15_000, 's streaming after the auto build');
  });

  it('querybuild reports the last build: completed (exit 0), failed (exit 1)', () => {
    const done = gsCtl(s, 'querybuild');
    assert.equal(done.code, 0);
    assert.match(done.stdout, new RegExp(`^${prefix}gs_ctl build query ,datadir is ${s.dataDir} \n HA state:\n {8}local_role {20}: Standby\n {8}db_state {22}: Build completed\n$`));
    // q is unrelated to p and its WAL cannot be rewound: the incremental build fails.
    const failed = gsCtl(q, 'build', '-b', 'incremental', '-q');
    assert.equal(failed.code, 1, failed.stdout);
    assert.match(failed.stdout, /build failed\(/);
    const report = gsCtl(q, 'querybuild');
    assert.equal(report.code, 1);
    assert.match(report.stdout, / {8}db_state {22}: Build failed\n$/);
  });

  it('build -b standby_full copies from the standby named by -C, and the copy streams from the primary', async () => {
    const connector = `localhost=${q.ip} localport=6433 remotehost=${s.ip} remoteport=6433`;
    const build = gsCtl(q, 'build', '-b', 'standby_full', '-C', connector);
    assert.equal(build.code, 0, build.stdout);
    assert.match(build.stdout, new RegExp(`\\]\\[gs_ctl\\]: gs_ctl standby full build ,datadir is ${q.dataDir},conn_str is '${connector}'\n`));
    assert.match(build.stdout, new RegExp(`build try host\\(${s.ip}\\) port\\(6433\\) success\n`));
    const text = await waitFor(streamingStandby(q), 15_000, 'q streaming after the standby_full build');
    assert.match(queryField(text, 'Receiver info', 'channel') ?? '', new RegExp(`<--${p.ip}:6433$`));
  });

  it('reload re-derives the configuration and signals the server; without one it exits 1', async () => {
    box.appendConf(p, ["work_mem = '7MB'"]);
    const reload = gsCtl(p, 'reload');
    assert.equal(reload.code, 0);
    assert.match(reload.stdout, new RegExp(`^${prefix}gs_ctl reload ,datadir is ${p.dataDir} \nserver signaled\n$`));
    await waitFor(() => (box.sql(p, 'show work_mem').stdout.trim() === '7MB' ? true : undefined), 5000, 'work_mem reloaded');
    const none = gsCtl(g, 'reload');
    assert.equal(none.code, 1);
    assert.match(none.stdout, /PID file ".*postmaster\.pid" does not exist\.\n.*Is server running\?\n$/);
  });

  it('gaussdb -p and -c run the server in the foreground on that port, with openGauss-only names too', async () => {
    const bad = box.run('gaussdb', ['-D', g.dataDir, '-M', 'leader'], g);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'the options of -M is not recognized\n');
    const server = box.spawn('gaussdb', ['-D', g.dataDir, '-M', 'primary', '-p', '6500', '-c', 'work_mem=3MB', '-c', 'most_available_sync=on'], { PGHOST: g.socketDir }, false);
    await waitFor(() => (box.sql(g, 'show work_mem').stdout.trim() === '3MB' ? true : undefined), 15_000, 'gaussdb on port 6500');
    assert.equal(box.sql(g, 'show most_available_sync').stdout.trim(), 'on');
    assert.equal(queryField(query(g), 'HA state', 'local_role'), 'Primary');
    const exited = once(server, 'exit');
    assert.equal(gsCtl(g, 'stop').code, 0);
    await exited; // the foreground process was the server itself
  });

  it('sudo runs the command without a password: as root as -u USER, as omm as omm', () => {
    const asOmm = box.run('sudo', ['id', '-un']);
    assert.equal(asOmm.code, 0);
    assert.equal(asOmm.stdout, `${isRoot ? 'omm' : box.run('/usr/bin/id', ['-un']).stdout.trim()}\n`);
    const dir = join(box.root, 'made-by-sudo', 'sub');
    assert.equal(box.run('sudo', ['mkdir', '-p', dir]).code, 0);
    assert.ok(existsSync(dir));
    if (!isRoot) return;
    assert.equal(box.run('sudo', ['-u', 'omm', 'id', '-un'], undefined, { asRoot: true }).stdout, 'omm\n');
    assert.equal(box.run('sudo', ['-uomm', '--', 'id', '-un'], undefined, { asRoot: true }).stdout, 'omm\n');
    assert.equal(box.run('sudo', ['id', '-un'], undefined, { asRoot: true }).stdout, 'root\n');
  });

  it('gs_tar unpacks a gs_basebackup -F tar backup (after gunzip) into a directory a server starts from', () => {
    assert.equal(box.sql(p, 'CREATE TABLE tarred (v int); INSERT INTO tarred VALUES (7);').code, 0);
    const backup = join(box.root, 'backup');
    const restored = join(box.root, 'restored');
    const empty = join(box.root, 'empty');
    for (const dir of [backup, restored, empty]) {
      mkdirSync(dir);
      box.chown(dir);
    }
    // The 2.0 operator's backup script: gs_basebackup -F tar -z -X fetch.
    const taken = box.run('gs_basebackup', ['-D', backup, '-F', 'tar', '-z', '-X', 'fetch', '-h', p.socketDir, '-p', '6432'], p);
    assert.equal(taken.code, 0, taken.stderr);
    const gz = box.run('gs_tar', ['-D', restored, '-F', join(backup, 'base.tar.gz')]);
    assert.deepEqual([gz.code, gz.stderr], [1, 'gs_tar: could not parse file size\n'], 'gs_tar does not gunzip');
    assert.equal(box.run('/usr/bin/gunzip', [join(backup, 'base.tar.gz')]).code, 0);
    const untar = box.run('gs_tar', ['-D', restored, '-F', join(backup, 'base.tar')]);
    assert.deepEqual([untar.code, untar.stdout, untar.stderr], [0, '', '']);
    assert.ok(existsSync(join(restored, 'PG_VERSION')) && existsSync(join(restored, 'backup_label')));

    const errors = (args: string[]): [number, string] => {
      const r = box.run('gs_tar', args);
      return [r.code, r.stderr];
    };
    assert.deepEqual(errors(['-D', restored, '-F', join(backup, 'base.tar')]), [1, `gs_tar: destination dir "${restored}" no empty.\n`]);
    assert.deepEqual(errors(['-D', join(box.root, 'absent'), '-F', 'x']), [1, `gs_tar: destination dir "${join(box.root, 'absent')}" failed: No such file or directory\n`]);
    assert.deepEqual(errors(['-D', backup]), [1, '-D option and -F option are required.\n']);
    assert.deepEqual(errors(['-D', empty, '-F', join(backup, 'absent.tar')]), [1, 'WARNING:  not found!\n']);
    assert.deepEqual(errors(['-k']), [1, "gs_tar: invalid option -- 'k'\nTry \"gs_tar --help\" for more information.\n"]);

    // The unpacked copy is a working data directory (the restore of og-restore.sh).
    chmodSync(restored, 0o700);
    const copy: Node = { ...p, name: 'restored', port: 6499, dataDir: restored };
    assert.equal(box.run('gs_ctl', ['start', '-D', restored, '-o', '-p 6499'], copy).code, 0);
    assert.equal(box.sql(copy, 'SELECT v FROM tarred').stdout.trim(), '7');
    assert.equal(box.run('gs_ctl', ['stop', '-D', restored], copy).code, 0);
  });
});
