import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeClientFrame, encodeFrame, negotiateProtocol, readyChannel, renderExitStatus, renderFailureStatus } from './channel-protocol.ts';

describe('exec channel protocol', () => {
  it('accepts the first offered protocol it speaks, preferring the client order', () => {
    assert.equal(negotiateProtocol(['v5.channel.k8s.io', 'v4.channel.k8s.io', 'channel.k8s.io']), 'v5.channel.k8s.io');
    assert.equal(negotiateProtocol([' v4.channel.k8s.io', 'v5.channel.k8s.io']), 'v4.channel.k8s.io');
    assert.equal(negotiateProtocol(['base64.channel.k8s.io', 'channel.k8s.io']), undefined);
  });

  it('frames stdout as the channel byte followed by the payload', () => {
    assert.deepEqual([...encodeFrame(1, 'hello\n')], [0x01, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x0a]);
    assert.deepEqual([...encodeFrame(3)], [0x03]);
  });

  it('decodes stdin, resize and the v5 stdin close', () => {
    assert.deepEqual(decodeClientFrame(Buffer.from([0, 0x61]), 'v5.channel.k8s.io'), { kind: 'stdin', data: Buffer.from('a') });
    assert.deepEqual(decodeClientFrame(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":80,"Height":24}')]), 'v4.channel.k8s.io'), { kind: 'resize', width: 80, height: 24 });
    assert.deepEqual(decodeClientFrame(Buffer.from([0xff, 0x00]), 'v5.channel.k8s.io'), { kind: 'close', channel: 0 });
  });

  it('reports malformed frames as data instead of throwing', () => {
    assert.equal(decodeClientFrame(Buffer.alloc(0), 'v5.channel.k8s.io').kind, 'invalid');
    assert.equal(decodeClientFrame(Buffer.from([4, 0x7b]), 'v5.channel.k8s.io').kind, 'invalid');
    for (const size of ['null', '{"Width":80.5,"Height":24}', '{"Width":-1,"Height":24}', '{"Width":80,"Height":65536}', '{"Width":"80","Height":24}']) {
      assert.equal(decodeClientFrame(Buffer.concat([Buffer.from([4]), Buffer.from(size)]), 'v5.channel.k8s.io').kind, 'invalid', size);
    }
    assert.equal(decodeClientFrame(Buffer.from([0xff, 0x00]), 'v4.channel.k8s.io').kind, 'invalid');
    assert.equal(decodeClientFrame(Buffer.from([1, 0x61]), 'v5.channel.k8s.io').kind, 'invalid');
  });

  it('signals readiness on the first open output channel', () => {
    assert.equal(readyChannel({ stdout: true, stderr: true }), 1);
    assert.equal(readyChannel({ stdout: false, stderr: true }), 2);
    assert.equal(readyChannel({ stdout: false, stderr: false }), 3);
  });

  it('renders exit statuses the way client-node and kubectl parse them', () => {
    assert.deepEqual(JSON.parse(renderExitStatus(0)), { metadata: {}, status: 'Success' });
    const failure = JSON.parse(renderExitStatus(3)) as { reason: string; details: { causes: { reason: string; message: string }[] } };
    assert.equal(failure.reason, 'NonZeroExitCode');
    assert.deepEqual(failure.details.causes, [{ reason: 'ExitCode', message: '3' }]);
    assert.equal((JSON.parse(renderFailureStatus('boom')) as { details?: unknown }).details, undefined);
  });
});
