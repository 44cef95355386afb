import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { ErrorCodes, OperatorError } from '../errors.ts';
import { PROBE_MARK } from '../instance/commands.ts';
import type { ExecOutcome, InstanceRunner } from '../instance/port.ts';
import { createMemberProber, type MemberProberOptions } from './member-prober.ts';

const IP = '10.1.0.11';

function aPod(restartCount = 0, ready = true): V1Pod {
  return {
    metadata: { name: 'og-c-pod-10x1x0x11', namespace: 'db', uid: 'u1' },
    status: {
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [{ name: 'og', ready, restartCount, image: 'og', imageID: '', state: { running: { startedAt: new Date(restartCount * 1000) } } }],
    },
  };
}

function probeOutput(role: string, sentLsn = '0/3000060'): string {
  const f = (n: string, v: string) => `\t${n.padEnd(30)} : ${v}`;
  return [
    `{"chkprocess":1,"maintenance":0,"hang":0,"buildstatus":3,"primary":${role === 'Primary' ? 1 : 0}}`,
    PROBE_MARK.query,
    ' HA state:           ', f('local_role', role), f('static_connections', '2'), f('db_state', 'Normal'), f('detail_information', 'Normal'), '',
    ' Senders info:       ', f('sender_sent_location', sentLsn), f('channel', `${IP}:26001-->10.1.0.12:41234`), f('sync_state', 'Sync'), '',
    PROBE_MARK.replconninfo,
    `replconninfo1 = 'localhost=${IP} localport=26001'`,
  ].join('\n');
}

/** Replies in the order given; a held reply waits for release(). */
class ScriptedRunner implements InstanceRunner {
  readonly replies: (ExecOutcome | 'hold')[] = [];
  calls = 0;
  inFlight = 0;
  maxInFlight = 0;
  private releases: (() => void)[] = [];

  async run(): Promise<ExecOutcome> {
    this.calls += 1;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      let reply = this.replies.shift() ?? ok('Primary');
      if (reply === 'hold') {
        await new Promise<void>((r) => this.releases.push(r));
        // The reply of a held call is the next scripted one, unless that one is itself a hold.
        const next = this.replies[0];
        if (next !== undefined && next !== 'hold') this.replies.shift();
        reply = next !== undefined && next !== 'hold' ? next : ok('Primary');
      }
      return reply;
    } finally {
      this.inFlight -= 1;
    }
  }

  release(): void {
    for (const r of this.releases.splice(0)) r();
  }
}

const ok = (role: string, lsn?: string): ExecOutcome => ({ kind: 'exited', exitCode: 0, stdout: probeOutput(role, lsn), stderr: '', truncated: false });
const failed: ExecOutcome = { kind: 'failed', error: new OperatorError(ErrorCodes.EXEC_TIMEOUT, 'exec timed out') };

function setup(overrides: Partial<MemberProberOptions> = {}) {
  const runner = new ScriptedRunner();
  const woken: string[] = [];
  let clock = 0;
  const tick = (ms: number) => { clock += ms; };
  const prober = createMemberProber({ runner, execTimeoutMs: 1000, periodMs: 5000, now: () => clock, onChange: (k) => woken.push(k), ...overrides });
  const roleOf = (pod = aPod()): string | undefined => {
    const r = prober.read('db/c', pod, IP);
    return r.kind === 'fresh' && r.outcome.ok ? r.outcome.value.role : r.kind;
  };
  return { runner, woken, tick, prober, roleOf };
}

describe('member prober', () => {
  it('answers pending at first, probes in the background and wakes the cluster when the probe is in', async () => {
    const { prober, woken, roleOf } = setup();
    assert.equal(roleOf(), 'pending');
    await prober.idle();
    assert.deepEqual(woken, ['db/c']);
    assert.equal(roleOf(), 'primary');
  });

  it('reports a pod whose og container does not run as not running, without probing it', () => {
    const { prober, runner } = setup();
    const pod = aPod();
    pod.status = { containerStatuses: [{ name: 'og', ready: false, restartCount: 0, image: 'og', imageID: '', state: { waiting: { reason: 'ContainerCreating' } } }] };
    assert.deepEqual(prober.read('db/c', pod, IP), { kind: 'notRunning' });
    assert.equal(runner.calls, 0);
  });

  it('refreshes a reading older than the period while still answering with it, and wakes nobody when only LSNs moved', async () => {
    const { prober, woken, tick, roleOf, runner } = setup();
    roleOf();
    await prober.idle();
    runner.replies.push(ok('Primary', '0/4000000'));
    tick(5000);
    assert.equal(roleOf(), 'primary');
    await prober.idle();
    assert.equal(runner.calls, 2);
    assert.deepEqual(woken, ['db/c']);
  });

  it('keeps a good reading through one exec failure and publishes the second one in a row', async () => {
    const { prober, woken, tick, roleOf, runner } = setup();
    roleOf();
    await prober.idle();
    runner.replies.push(failed, failed);
    tick(5000);
    roleOf();
    await prober.idle();
    assert.equal(roleOf(), 'primary');
    tick(5000);
    roleOf();
    await prober.idle();
    const reading = prober.read('db/c', aPod(), IP);
    assert.equal(reading.kind === 'fresh' && !reading.outcome.ok && reading.outcome.error, 'exec timed out');
    assert.equal(woken.length, 2);
  });

  it('publishes a probe that ran and shows another role at once', async () => {
    const { prober, tick, roleOf, runner } = setup();
    roleOf();
    await prober.idle();
    runner.replies.push(ok('Pending'));
    tick(5000);
    roleOf();
    await prober.idle();
    assert.equal(roleOf(), 'pending');
  });

  it('distrusts readings from before an action, including a probe already in flight', async () => {
    const { prober, woken, tick, roleOf, runner } = setup();
    roleOf();
    await prober.idle();
    tick(5000);
    runner.replies.push('hold', ok('Primary'), ok('Standby'));
    assert.equal(roleOf(), 'primary'); // starts a refresh, held before it reads anything
    tick(100);
    prober.invalidate('db', 'og-c-pod-10x1x0x11');
    assert.equal(roleOf(), 'pending');
    runner.release();
    await prober.idle();
    assert.equal(runner.calls, 3, 'the probe begun before the action is thrown away and taken again');
    assert.equal(roleOf(), 'standby');
    assert.deepEqual(woken, ['db/c', 'db/c']);
  });

  it('starts over when the container restarted', async () => {
    const { prober, roleOf } = setup();
    roleOf();
    await prober.idle();
    assert.equal(roleOf(aPod(1)), 'pending');
    await prober.idle();
    assert.equal(roleOf(aPod(1)), 'primary');
  });

  it('keeps the reading but refreshes it at once when the pod readiness changed', async () => {
    const { prober, roleOf, runner } = setup();
    roleOf();
    await prober.idle();
    runner.replies.push(ok('Pending'));
    assert.equal(roleOf(aPod(0, false)), 'primary');
    await prober.idle();
    assert.equal(runner.calls, 2);
    assert.equal(roleOf(aPod(0, false)), 'pending');
  });

  it('refreshes a member in transition every second, a settled one every period', async () => {
    const { prober, roleOf, runner, tick } = setup();
    runner.replies.push(ok('Pending'));
    roleOf();
    await prober.idle();
    tick(1000);
    roleOf();
    await prober.idle();
    assert.equal(runner.calls, 2, 'pending: refreshed after a second');
    tick(1000);
    roleOf();
    await prober.idle();
    assert.equal(runner.calls, 2, 'primary and Normal: not before the period');
  });

  it('never runs more probes at once than allowed', async () => {
    const { prober, runner } = setup({ maxInFlight: 2 });
    for (let i = 0; i < 5; i++) runner.replies.push('hold');
    for (let i = 0; i < 5; i++) {
      const pod = aPod();
      pod.metadata = { ...pod.metadata, name: `og-c-pod-${i}` };
      prober.read('db/c', pod, IP);
    }
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setImmediate(r));
      runner.release();
    }
    await prober.idle();
    assert.equal(runner.calls, 5);
    assert.equal(runner.maxInFlight, 2);
  });
});
