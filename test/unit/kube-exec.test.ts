// pods/exec through the operator's connection: client-node's Exec (src/instance/exec.ts) dials the
// fake API server over TLS with the connection's CA and token, reads stdout and stderr frames and
// the exit status, as it does against the real API server in the end-to-end tests.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { createExecRunner } from '../../src/instance/exec.ts';
import { createConnection, type KubeConnection } from '../../src/kube/connection.ts';
import { startFakeApiServer, type FakeApiServer } from '../support/fake-api-server.ts';

const frame = (channel: number, text: string): Buffer => Buffer.concat([Buffer.from([channel]), Buffer.from(text)]);

describe('pods/exec over the operator connection', () => {
  let fake: FakeApiServer;
  let sockets: WebSocketServer;
  let connection: KubeConnection;
  const upgrades: IncomingMessage[] = [];

  before(async () => {
    fake = await startFakeApiServer();
    sockets = new WebSocketServer({ server: fake.server, handleProtocols: (offered) => (offered.has('v5.channel.k8s.io') ? 'v5.channel.k8s.io' : false) });
    sockets.on('connection', (socket: WebSocket, request: IncomingMessage) => {
      upgrades.push(request);
      socket.send(frame(1, 'primary\n'));
      socket.send(frame(2, 'a warning\n'));
      socket.send(frame(3, JSON.stringify({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } })));
      socket.close();
    });
    connection = createConnection({ server: fake.url, ca: fake.ca, token: 'ex3c', source: 'test' });
  });
  after(async () => {
    connection.close();
    sockets.close();
    await fake.close();
  });

  it('runs a command with the credentials and returns its exit code and output', async () => {
    const outcome = await createExecRunner(connection).run({ namespace: 'ns', pod: 'db-0', container: 'og' }, ['gs_ctl', 'query'], 5_000);
    assert.deepEqual(outcome, { kind: 'exited', exitCode: 3, stdout: 'primary\n', stderr: 'a warning\n', truncated: false });
    const url = new URL(upgrades[0]?.url ?? '', 'https://fake');
    assert.equal(url.pathname, '/api/v1/namespaces/ns/pods/db-0/exec');
    assert.deepEqual(url.searchParams.getAll('command'), ['gs_ctl', 'query']);
    assert.equal(url.searchParams.get('container'), 'og');
    assert.equal(upgrades[0]?.headers.authorization, 'Bearer ex3c');
  });
});
