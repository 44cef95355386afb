import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSandboxArgs } from './cli-args.ts';
import { HarnessError } from './harness-error.ts';

describe('sandbox command line', () => {
  it('treats no arguments as `up` with 3 nodes, the operator and the sample', () => {
    assert.deepEqual(parseSandboxArgs([]), { kind: 'up', options: { nodes: 3, operator: true, sample: true, detach: false } });
  });

  it('reads the flags of up', () => {
    assert.deepEqual(parseSandboxArgs(['up', '--nodes', '0', '--no-operator', '--no-sample', '--detach']),
      { kind: 'up', options: { nodes: 0, operator: false, sample: false, detach: true } });
  });

  it('accepts flags without the word up', () => {
    assert.equal(parseSandboxArgs(['--detach']).kind, 'up');
  });

  it('reads down, down --purge and status', () => {
    assert.deepEqual(parseSandboxArgs(['down']), { kind: 'down', purge: false });
    assert.deepEqual(parseSandboxArgs(['down', '--purge']), { kind: 'down', purge: true });
    assert.deepEqual(parseSandboxArgs(['status']), { kind: 'status' });
  });

  for (const argv of [['up', '--nodes', 'x'], ['up', '--nodes', '-1'], ['up', '--bogus'], ['frobnicate'], ['status', 'extra']]) {
    it(`refuses ${argv.join(' ')} with a usage error`, () => {
      assert.throws(() => parseSandboxArgs(argv), (error: unknown) => error instanceof HarnessError && error.code === 'SBX_ERR_USAGE' && /usage:/.test(error.message));
    });
  }
});

describe('sandbox fault-injection commands', () => {
  it('reads node stop and node start', () => {
    assert.deepEqual(parseSandboxArgs(['node', 'stop', 'node2']), { kind: 'node', action: 'stop', node: 'node2' });
    assert.deepEqual(parseSandboxArgs(['node', 'start', 'node2']), { kind: 'node', action: 'start', node: 'node2' });
  });

  it('reads kill with and without a namespace and a container', () => {
    assert.deepEqual(parseSandboxArgs(['kill', 'og-a-pod-1']), { kind: 'kill', namespace: 'default', pod: 'og-a-pod-1' });
    assert.deepEqual(parseSandboxArgs(['kill', 'ns1/og-a-pod-1', 'og']), { kind: 'kill', namespace: 'ns1', pod: 'og-a-pod-1', container: 'og' });
  });

  it('reads isolate and heal', () => {
    assert.deepEqual(parseSandboxArgs(['isolate', 'ns1/p']), { kind: 'partition', action: 'isolate', namespace: 'ns1', pod: 'p' });
    assert.deepEqual(parseSandboxArgs(['heal', 'p']), { kind: 'partition', action: 'heal', namespace: 'default', pod: 'p' });
  });

  for (const argv of [['node', 'reboot', 'n1'], ['node', 'stop'], ['kill'], ['kill', 'a/b/c'], ['kill', '/p'], ['isolate'], ['heal', 'a', 'b']]) {
    it(`refuses ${argv.join(' ')} with a usage error`, () => {
      assert.throws(() => parseSandboxArgs(argv), (error: unknown) => error instanceof HarnessError && error.code === 'SBX_ERR_USAGE');
    });
  }
});
