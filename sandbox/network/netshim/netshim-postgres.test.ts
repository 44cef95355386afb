// [slow] PostgreSQL 15 under the shim: two servers on `*:<same port>`, clients seen with their
// pod IPs, localhost inside a pod, and a streaming standby (pg_basebackup + walreceiver).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { appendFile, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { ensureNetshim } from './ensure-netshim.ts';
import { podNetworkEnv } from './pod-network-env.ts';
import { freePort, killAll, runToEnd, spawnTracked } from '../test-processes.ts';

const pgBin = '/usr/lib/postgresql/15/bin';
const [podA, podB, podC, podD] = ['127.201.1.2', '127.201.1.3', '127.201.1.4', '127.201.1.5'];

function postgresUser(): { uid: number; gid: number } | undefined {
  try {
    const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'postgres']).toString().trim()));
    return uid !== undefined && gid !== undefined ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

const user = postgresUser();
const skip = userInfo().uid !== 0 ? 'needs root (runs PostgreSQL as user postgres)' : user === undefined ? 'needs the postgres user' : false;

describe('netshim with PostgreSQL 15 [slow]', { skip }, () => {
  let dir = '';
  let shim = '';
  let port = 0;
  const servers: ChildProcess[] = [];

  const env = (podIp: string): NodeJS.ProcessEnv => ({ ...process.env, ...podNetworkEnv(podIp, shim), PGUSER: 'postgres', PGCONNECT_TIMEOUT: '5' });
  const asPostgres = { uid: user?.uid ?? 0, gid: user?.gid ?? 0 };

  async function run(podIp: string, tool: string, args: readonly string[]): Promise<string> {
    const result = await runToEnd(join(pgBin, tool), args, { env: env(podIp), ...asPostgres, cwd: dir });
    assert.equal(result.code, 0, `${tool} ${args.join(' ')}: ${result.stderr}`);
    return result.stdout.trim();
  }
  const sql = (podIp: string, host: string, query: string): Promise<string> => run(podIp, 'psql', ['-X', '-A', '-t', '-h', host, '-p', String(port), '-d', 'postgres', '-c', query]);

  async function initdb(name: string): Promise<string> {
    const data = join(dir, name);
    await run('127.0.0.1', 'initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions']);
    // pg_hba sees real pod addresses, so rules name the loopback range, not 127.0.0.1/32.
    await appendFile(join(data, 'pg_hba.conf'), 'host all all 127.0.0.0/8 trust\nhost replication all 127.0.0.0/8 trust\n');
    return data;
  }
  async function start(podIp: string, data: string): Promise<void> {
    // Socket directories outside the data directory: pg_basebackup would copy the lock file.
    const sockets = await mkdtemp(join(dir, 'sock-'));
    await chown(sockets, asPostgres.uid, asPostgres.gid);
    const child = spawnTracked(join(pgBin, 'postgres'), ['-D', data, '-c', 'listen_addresses=*', '-c', `port=${port}`, '-c', `unix_socket_directories=${sockets}`, '-c', 'fsync=off'],
      { env: env(podIp), ...asPostgres, cwd: dir });
    servers.push(child);
    for (let i = 0; i < 100; i++) {
      const ready = await runToEnd(join(pgBin, 'pg_isready'), ['-h', podIp, '-p', String(port)], { env: env(podIp) });
      if (ready.code === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail(`postgres on ${podIp} did not become ready`);
  }

  before(async () => {
    shim = await ensureNetshim();
    port = await freePort();
    dir = await mkdtemp(join(tmpdir(), 'netshim-pg-'));
    await chown(dir, asPostgres.uid, asPostgres.gid);
  });
  after(async () => {
    // SIGQUIT is PostgreSQL's immediate shutdown: it removes its shared memory, unlike SIGKILL.
    for (const server of servers) {
      if (server.exitCode === null && server.signalCode === null && server.pid !== undefined) {
        const exited = once(server, 'exit');
        process.kill(server.pid, 'SIGQUIT');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      }
    }
    await killAll();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts two servers listening on * with the same port, each on its pod IP', async () => {
    await start(podA, await initdb('a'));
    await start(podB, await initdb('b'));
    // Distinct data directories prove two postmasters answer, not one bound to 0.0.0.0.
    assert.equal(await sql(podC, podA, "select host(inet_server_addr()) || ' ' || current_setting('data_directory')"), `${podA} ${join(dir, 'a')}`);
    assert.equal(await sql(podC, podB, "select host(inet_server_addr()) || ' ' || current_setting('data_directory')"), `${podB} ${join(dir, 'b')}`);
  });

  it('shows a client connection as coming from the client pod IP', async () => {
    assert.equal(await sql(podC, podA, 'select inet_client_addr()'), podC);
    assert.equal(await sql(podA, podB, 'select inet_client_addr()'), podA);
  });

  it('reaches the pod own server through localhost inside the pod', async () => {
    assert.equal(await sql(podB, 'localhost', "select host(inet_server_addr()) || ' ' || host(inet_client_addr())"), `${podB} ${podB}`);
  });

  it('streams WAL to a standby whose walreceiver connects from the standby pod IP', async () => {
    const standby = join(dir, 'd');
    await run(podD, 'pg_basebackup', ['-h', podA, '-p', String(port), '-D', standby, '-R', '-X', 'stream', '--no-sync']);
    await start(podD, standby);
    let clients = '';
    for (let i = 0; i < 50 && clients === ''; i++) {
      clients = await sql(podC, podA, "select client_addr from pg_stat_replication where state = 'streaming'");
      if (clients === '') await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(clients, podD);
  });
});
