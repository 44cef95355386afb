// [slow] The container-facing side: the official image's entrypoint (primary and standby pods), tini,
// the shims' behaviour from any directory, and openGauss-style refusals of wrong flags and of root.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { binDir, createSandbox, isRoot, queryField, waitFor, type Node, type Sandbox } from './harness.ts';

const subnet = `127.43.${process.pid % 250}`;

describe('engine commands refuse wrong flags the openGauss way', () => {
  let box: Sandbox;
  before(() => {
    box = createSandbox('og-engine-flags-');
  });
  after(() => box.cleanup());

  it('gs_ctl: an unknown verb, an unknown option, and no data directory', () => {
    const verb = box.run('gs_ctl', ['promote', '-D', box.root]);
    assert.equal(verb.code, 1);
    assert.match(verb.stdout, /^\[[^\]]+\]\[\d+\]\[\]\[gs_ctl\]: {2}unrecognized operation mode "promote"\nTry "gs_ctl --help" for more information\.\n$/);
    const option = box.run('gs_ctl', ['start', '-k']);
    assert.equal(option.code, 1);
    assert.equal(option.stderr, "gs_ctl: invalid option -- 'k'\n");
    const noDir = box.run('gs_ctl', ['status'], undefined, { env: { PGDATA: '' } });
    assert.equal(noDir.code, 1);
    assert.match(noDir.stdout, / no database directory specified and environment variable PGDATA unset/);
  });

  it('gs_guc, gsql and gs_initdb print their own messages and exit 1', () => {
    const guc = box.run('gs_guc', ['set', '-D', box.root, '-c', 'no_such_parameter=1']);
    assert.equal(guc.code, 1);
    assert.match(guc.stdout, /ERROR: The name of parameter "no_such_parameter" is incorrect\./);
    const gsql = box.run('gsql', ['-k']);
    assert.equal(gsql.code, 1);
    assert.equal(gsql.stderr, "gsql: invalid option -- 'k'\nTry \"gsql --help\" for more information.\n");
    assert.equal(box.run('gs_initdb', ['--bogus']).code, 1);
  });

  it('gs_ctl and gs_initdb refuse to run as root', { skip: !isRoot && 'needs root' }, () => {
    const result = box.run('gs_ctl', ['status', '-D', box.root], undefined, { asRoot: true });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^gs_ctl: cannot be run as root/);
    assert.match(box.run('gs_initdb', ['-D', join(box.root, 'x')], undefined, { asRoot: true }).stderr, /^gs_initdb: cannot be run as root/);
  });

  it('runs through a symlink from another working directory', () => {
    const link = join(box.root, 'links');
    mkdirSync(link);
    symlinkSync(join(binDir, 'gs_ctl'), join(link, 'gs_ctl'));
    const result = box.run(join(link, 'gs_ctl'), ['--version']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^gs_ctl \(openGauss/);
  });

  it('tini forwards SIGTERM to the command\'s process group and exits with its status', async () => {
    const tini = box.spawn('tini', ['-g', '--', 'sh', '-c', 'sleep 30 & wait'], {}, false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    tini.kill('SIGTERM');
    const [code, signal] = (await once(tini, 'exit')) as [number | null, string | null];
    assert.ok(Date.now() - started < 3000);
    assert.ok(code !== 0 || signal !== null);
  });
});

describe('[slow] the official image entrypoint', () => {
  let box: Sandbox;
  let primary: Node;
  let standby: Node;
  before(() => {
    box = createSandbox('og-engine-image-');
    primary = box.node('primary', `${subnet}.2`, 5432);
    standby = box.node('standby', `${subnet}.3`, 5432);
  });
  after(() => box.cleanup());

  const replConnInfo = (self: Node, peer: Node): string =>
    `replconninfo1 = 'localhost=${self.ip} localport=${self.port + 1} localservice=${self.port + 4} remotehost=${peer.ip} remoteport=${peer.port + 1} remoteservice=${peer.port + 4}'`;

  function containerEnv(self: Node, peer: Node, name: string): Record<string, string> {
    return {
      PGDATA: join(self.dataDir, 'data'), GS_PASSWORD: 'Enmo@1234', POD_IP: self.ip, PGHOST: self.socketDir, NODE_NAME: name,
      REPL_CONN_INFO: replConnInfo(self, peer), SYNCHRONOUS_STANDBY_NAMES: peer === standby ? 'dn_6002' : 'dn_6001',
    };
  }

  it('refuses a first start with a weak GS_PASSWORD', () => {
    const result = box.run('entrypoint.sh', ['-M', 'primary'], undefined, { asRoot: isRoot, env: { PGDATA: join(box.root, 'weak', 'data'), GS_PASSWORD: 'weakpass' } });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /GS_PASSWORD is not meet requirements/);
  });

  it('initialises a primary pod and runs gaussdb -M primary in the foreground', async () => {
    mkdirSync(primary.dataDir);
    box.chown(primary.dataDir);
    const started = Date.now();
    const container = box.spawn('entrypoint.sh', ['-M', 'primary'], containerEnv(primary, standby, 'dn_6001'), isRoot);
    let log = '';
    container.stdout?.on('data', (d: Buffer) => { log += d.toString(); });
    container.stderr?.on('data', (d: Buffer) => { log += d.toString(); });
    const pgdata = join(primary.dataDir, 'data');
    await waitFor(() => {
      const text = box.run('gs_ctl', ['query', '-D', pgdata], primary).stdout;
      return queryField(text, 'HA state', 'local_role') === 'Primary' && box.run('/usr/lib/postgresql/15/bin/pg_isready', ['-h', primary.ip, '-p', '5432', '-q']).code === 0 ? true : undefined;
    }, 30_000, `the primary pod to be ready; log:\n${log}`);
    process.stdout.write(`# official primary pod: creation to ready (initdb included) in ${Date.now() - started} ms\n`);
    // The container log is the server's stderr (through the gaussdb shim's tee).
    await waitFor(() => (/database system is ready to accept connections/.test(log) ? true : undefined), 5000, `the server log on stderr:\n${log}`);
    assert.equal(box.run('gsql', ['-d', 'postgres', '-p', '5432', '-A', '-t', '-c', "select count(*) from pg_roles where rolname = 'repuser'"], primary).stdout.trim(), '1');
  });

  it('builds a standby pod from the primary and streams from it', async () => {
    mkdirSync(standby.dataDir);
    box.chown(standby.dataDir);
    const started = Date.now();
    box.spawn('entrypoint.sh', ['-M', 'standby'], containerEnv(standby, primary, 'dn_6002'), isRoot);
    const pgdata = join(standby.dataDir, 'data');
    await waitFor(() => {
      const text = box.run('gs_ctl', ['query', '-D', pgdata], standby).stdout;
      return queryField(text, 'HA state', 'local_role') === 'Standby' && queryField(text, 'HA state', 'db_state') === 'Normal' ? true : undefined;
    }, 30_000, 'the standby pod to stream');
    process.stdout.write(`# official standby pod: creation to streaming (initdb and build included) in ${Date.now() - started} ms\n`);
    const senders = box.run('gs_ctl', ['query', '-D', join(primary.dataDir, 'data')], primary).stdout;
    await waitFor(() => (queryField(box.run('gs_ctl', ['query', '-D', join(primary.dataDir, 'data')], primary).stdout, 'Senders info', 'sync_state') === 'Sync' ? true : undefined), 10_000, `Sync:\n${senders}`);
  });

  it('stops when gs_ctl stops its server, like a container whose main process exits', async () => {
    const pgdata = join(standby.dataDir, 'data');
    assert.equal(box.run('gs_ctl', ['stop', '-D', pgdata], standby).code, 0);
    await waitFor(() => (box.run('gs_ctl', ['status', '-D', pgdata], standby).code === 3 ? true : undefined), 10_000, 'the standby to be stopped');
  });
});
