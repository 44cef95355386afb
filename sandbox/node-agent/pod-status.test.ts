import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerRecord } from './container-record.ts';
import { carryTransitionTimes, derivePodStatus, renderState, type PodView } from './pod-status.ts';

const running = (name: string, ready = true): ContainerRecord => ({ name, image: 'busybox', imageId: 'x', restartCount: 0, ready, started: true, state: { kind: 'running', startedAt: 't' } });
const exited = (name: string, exitCode: number): ContainerRecord => ({
  name, image: 'busybox', imageId: 'x', restartCount: 0, ready: false, started: false,
  state: { kind: 'terminated', exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: 't', finishedAt: 't', containerId: 'c' },
});
const waiting = (name: string, reason = 'ContainerCreating'): ContainerRecord => ({ name, image: 'busybox', imageId: '', restartCount: 0, ready: false, started: false, state: { kind: 'waiting', reason } });

const view = (over: Partial<PodView>): PodView => ({
  spec: { containers: [{ name: 'a' }] }, hostIp: '127.10.1.1', podIp: '127.10.1.2', startTime: 't', sandboxReady: true,
  initContainers: [], containers: [running('a')], initDone: true, initFailed: false, readinessGates: new Map(), ...over,
});

const condition = (v: PodView, type: string): string | undefined => derivePodStatus(v).conditions.find((c) => c.type === type)?.status;

describe('pod status derivation', () => {
  it('is Running and Ready when every container runs and is ready', () => {
    const v = view({});
    assert.equal(derivePodStatus(v).phase, 'Running');
    assert.equal(condition(v, 'Ready'), 'True');
    assert.equal(derivePodStatus(v).body['podIP'], '127.10.1.2');
  });

  it('is Pending while init containers run', () => {
    const v = view({ initDone: false, initContainers: [running('init')], containers: [waiting('a', 'PodInitializing')] });
    assert.equal(derivePodStatus(v).phase, 'Pending');
    assert.equal(condition(v, 'Initialized'), 'False');
  });

  it('is Succeeded when all exit 0 without restart, Failed when one fails', () => {
    assert.equal(derivePodStatus(view({ containers: [exited('a', 0)] })).phase, 'Succeeded');
    assert.equal(derivePodStatus(view({ containers: [exited('a', 0), exited('b', 2)] })).phase, 'Failed');
    assert.equal(condition(view({ containers: [exited('a', 0)] }), 'Ready'), 'False');
  });

  it('is Failed when an init container failed for good', () => {
    assert.equal(derivePodStatus(view({ initDone: false, initFailed: true, initContainers: [exited('i', 1)] })).phase, 'Failed');
  });

  it('stays Running while a container waits to restart', () => {
    const backingOff: ContainerRecord = { ...waiting('a', 'CrashLoopBackOff'), restartCount: 2 };
    assert.equal(derivePodStatus(view({ containers: [backingOff] })).phase, 'Running');
  });

  it('is not Ready while a readiness gate is false', () => {
    const v = view({ spec: { containers: [{ name: 'a' }], readinessGates: [{ conditionType: 'x/ok' }] }, readinessGates: new Map([['x/ok', false]]) });
    assert.equal(condition(v, 'ContainersReady'), 'True');
    assert.equal(condition(v, 'Ready'), 'False');
  });

  it('names absent state keys as null so a strategic merge drops them', () => {
    assert.deepEqual(renderState({ kind: 'running', startedAt: 't' }), { waiting: null, running: { startedAt: 't' }, terminated: null });
  });

  it('keeps lastTransitionTime until a condition flips', () => {
    const first = carryTransitionTimes(new Map(), [{ type: 'Ready', status: 'True' }], 't1');
    const same = carryTransitionTimes(new Map(first.map((c) => [c.type, c])), [{ type: 'Ready', status: 'True' }], 't2');
    const flipped = carryTransitionTimes(new Map(first.map((c) => [c.type, c])), [{ type: 'Ready', status: 'False' }], 't3');
    assert.equal(same[0]?.lastTransitionTime, 't1');
    assert.equal(flipped[0]?.lastTransitionTime, 't3');
  });

  it('reports a refused sandbox as the pod reason and clears it otherwise', () => {
    const refused = derivePodStatus(view({ podIp: undefined as never, sandboxReady: false, problem: { reason: 'FailedCreatePodSandBox', message: 'm' } }));
    assert.equal(refused.body['reason'], 'FailedCreatePodSandBox');
    assert.equal(derivePodStatus(view({})).body['reason'], null);
  });
});
