import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseSynchronousCommit, initialMostAvailableSync, planSyncSettings, renderSynchronousStandbyNames } from './sync-replication.ts';

const a = '10.0.0.1';
const b = '10.0.0.2';
const c = '10.0.0.3';
const r1 = '10.9.0.1';
const r2 = '10.9.0.2';

describe('synchronous_standby_names (2.0 rules, stable order)', () => {
  const cases: [string, string[], string[], string][] = [
    ['a lone member', [a], [], ''],
    ['2 local members', [a, b], [], 'FIRST 1(og_10_0_0_2)'],
    ['3 local members, in iplist order', [a, b, c], [], 'FIRST 1(og_10_0_0_2,og_10_0_0_3)'],
    ['1 local + 1 remote', [a], [r1], 'FIRST 1(og_10_9_0_1)'],
    ['2 local + 1 remote: every member must acknowledge', [a, b], [r1], 'FIRST 2(og_10_0_0_2,og_10_9_0_1)'],
    ['1 local + 2 remotes', [a], [r1, r2], 'FIRST 1(og_10_9_0_1,og_10_9_0_2)'],
    ['4 local members', [a, b, c, '10.0.0.4'], [], 'FIRST 2(og_10_0_0_2,og_10_0_0_3,og_10_0_0_4)'],
  ];
  for (const [name, locals, remotes, expected] of cases) {
    it(`is ${JSON.stringify(expected)} for ${name}`, () => {
      assert.equal(renderSynchronousStandbyNames({ selfIp: a, localIps: locals, remoteIps: remotes }), expected);
    });
  }

  it('lists the other members from each member\'s point of view', () => {
    assert.equal(renderSynchronousStandbyNames({ selfIp: c, localIps: [a, b, c], remoteIps: [] }), 'FIRST 1(og_10_0_0_1,og_10_0_0_2)');
  });

  it('gives the same value for the same membership every time (2.0 shuffled it)', () => {
    const input = { selfIp: a, localIps: [a, c, b], remoteIps: [r2, r1] };
    assert.equal(renderSynchronousStandbyNames(input), renderSynchronousStandbyNames({ ...input }));
    assert.equal(renderSynchronousStandbyNames(input), 'FIRST 3(og_10_0_0_3,og_10_0_0_2,og_10_9_0_2,og_10_9_0_1)');
  });
});

describe('synchronous_commit and most_available_sync', () => {
  it('uses remote_receive with standbys and on for a lone member (2.0: off, which loses commits)', () => {
    assert.equal(chooseSynchronousCommit(2, undefined), 'remote_receive');
    assert.equal(chooseSynchronousCommit(1, undefined), 'on');
  });

  it('honours the user\'s spec.config value', () => {
    assert.equal(chooseSynchronousCommit(3, 'on'), 'on');
    assert.equal(chooseSynchronousCommit(3, ' '), 'remote_receive');
  });

  it('starts most_available_sync on only for a cluster that never had peers', () => {
    assert.equal(initialMostAvailableSync(1, 0), 'on');
    assert.equal(initialMostAvailableSync(2, 0), 'off');
    assert.equal(initialMostAvailableSync(1, 1), 'off');
  });

  it('plans both settings with the names quoted as gs_guc requires', () => {
    assert.deepEqual(planSyncSettings({ selfIp: a, localIps: [a, b], remoteIps: [] }), [
      { name: 'synchronous_standby_names', value: "'FIRST 1(og_10_0_0_2)'" },
      { name: 'synchronous_commit', value: 'remote_receive' },
    ]);
    assert.deepEqual(planSyncSettings({ selfIp: a, localIps: [a], remoteIps: [] })[0], { name: 'synchronous_standby_names', value: "''" });
  });
});
