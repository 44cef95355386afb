import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nextCrashCount, parseRestartPolicy, restartDelayMs, shouldRestart } from './restart-policy.ts';
import { initialTally, probeAction, probeSettings, tallyProbe } from './probe-policy.ts';

describe('restart policy and back-off', () => {
  it('restarts per policy', () => {
    const table: [string | undefined, number, boolean][] = [
      [undefined, 0, true], ['Always', 1, true], ['OnFailure', 0, false], ['OnFailure', 137, true], ['Never', 1, false],
    ];
    for (const [policy, exit, expected] of table) assert.equal(shouldRestart(parseRestartPolicy(policy), exit), expected, `${String(policy)} ${String(exit)}`);
  });

  it('restarts at once first, then doubles from 1 s up to 30 s', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map(restartDelayMs), [0, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('resets the crash count after a minute of running', () => {
    assert.equal(nextCrashCount(5, 59_000), 6);
    assert.equal(nextCrashCount(5, 60_000), 1);
  });
});

describe('probe policy', () => {
  const settings = probeSettings({ failureThreshold: 2, successThreshold: 2, periodSeconds: 1 });

  it('uses Kubernetes defaults', () => {
    assert.deepEqual(probeSettings({}), { initialDelayMs: 0, periodMs: 10_000, timeoutMs: 1_000, successThreshold: 1, failureThreshold: 3 });
  });

  it('flips the verdict only when a threshold is reached', () => {
    let t = tallyProbe(initialTally, true, settings);
    assert.equal(t.verdict, 'unknown');
    t = tallyProbe(t, true, settings);
    assert.equal(t.verdict, 'success');
    t = tallyProbe(t, false, settings);
    assert.equal(t.verdict, 'success');
    t = tallyProbe(t, false, settings);
    assert.equal(t.verdict, 'failure');
  });

  it('resolves named ports and rejects unknown ones', () => {
    const ports = [{ name: 'db', containerPort: 5432 }];
    assert.deepEqual(probeAction({ tcpSocket: { port: 'db' } }, ports), { kind: 'tcp', port: 5432 });
    assert.equal(probeAction({ httpGet: { port: 'web', path: '/' } }, ports).kind, 'unsupported');
    assert.deepEqual(probeAction({ exec: { command: ['true'] } }, ports), { kind: 'exec', command: ['true'] });
    assert.equal(probeAction({ grpc: { port: 1 } }, ports).kind, 'unsupported');
  });
});
