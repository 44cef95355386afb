import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildGsGucArgv, planMemberConfig } from './member-config.ts';

describe('planMemberConfig', () => {
  const plan = planMemberConfig({
    selfIp: '10.0.0.1', localIps: ['10.0.0.1', '10.0.0.2'], remoteIps: [], dbport: 5432,
    config: { work_mem: '128MB', synchronous_commit: 'on', port: '1' },
  });

  it('sets replication, sync settings and the accepted user keys, the user\'s synchronous_commit winning', () => {
    assert.ok(plan.ok);
    const names = plan.settings.map((s) => s.name);
    assert.deepEqual(names.slice(0, 8), Array.from({ length: 8 }, (_, i) => `replconninfo${i + 1}`));
    assert.deepEqual(names.slice(8), ['application_name', 'synchronous_standby_names', 'synchronous_commit', 'work_mem']);
    assert.equal(plan.settings.find((s) => s.name === 'synchronous_commit')?.value, 'on');
    assert.deepEqual(plan.rejected.map((r) => r.name), ['port']);
  });

  it('admits replication from the peer only', () => {
    assert.ok(plan.ok);
    assert.ok(plan.hba.some((e) => e.database === 'replication' && e.address === '10.0.0.2/32' && e.method === 'sha256'));
  });

  it('fails without throwing when the peers do not fit the replconninfo slots', () => {
    const locals = Array.from({ length: 10 }, (_, i) => `10.0.0.${i + 1}`);
    assert.equal(planMemberConfig({ selfIp: '10.0.0.1', localIps: locals, remoteIps: [], dbport: 5432, config: {} }).ok, false);
  });
});

describe('buildGsGucArgv', () => {
  it('renders one gs_guc reload with -c settings, -c resets and -h hba records', () => {
    assert.deepEqual(buildGsGucArgv({
      verb: 'reload', dataDir: '/gaussdata/openGauss/db1',
      settings: [{ name: 'application_name', value: "'og_10_0_0_1'" }], reset: ['work_mem'],
      hba: [{ type: 'host', database: 'all', user: 'all', address: '0.0.0.0/0', method: 'md5' }],
    }), ['gs_guc', 'reload', '-D', '/gaussdata/openGauss/db1', '-c', "application_name='og_10_0_0_1'", '-c', 'work_mem', '-h', 'host all all 0.0.0.0/0 md5']);
  });
});
