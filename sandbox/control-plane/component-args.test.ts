import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { apiServerArgs, controllerManagerArgs, enabledControllers, etcdArgs, nodeMonitorGracePeriodSeconds, schedulerArgs } from './component-args.ts';
import { kubernetesVersion } from './versions.ts';

const input = {
  ports: { etcdClient: 1, etcdPeer: 2, apiServer: 3, controllerManager: 4, scheduler: 5 },
  layout: { etcdDataDir: '/d', pkiDir: '/p', kcmKubeconfig: '/k', schedulerKubeconfig: '/s' },
  fsync: false,
};

async function goldenControllers(): Promise<string[]> {
  const text = await readFile(join(import.meta.dirname, `controllers-${kubernetesVersion}.txt`), 'utf8');
  return text.trim().split('\n');
}

describe('control-plane component arguments', () => {
  it('enables only controllers this release knows (an unknown name makes the controller-manager exit)', async () => {
    const known = new Set(await goldenControllers());
    for (const name of enabledControllers) assert.ok(known.has(name), `${name} is not a ${kubernetesVersion} controller`);
  });

  it('keeps the endpoint controllers off, since loopback pod IPs are invalid endpoints', () => {
    for (const name of ['endpoints-controller', 'endpointslice-controller', 'endpointslice-mirroring-controller']) {
      assert.ok(!(enabledControllers as readonly string[]).includes(name));
    }
  });

  it('gives the node monitor at least five lease renewals (2 s) of grace', () => {
    assert.ok(nodeMonitorGracePeriodSeconds >= 10);
    assert.ok(controllerManagerArgs(input).includes(`--node-monitor-grace-period=${nodeMonitorGracePeriodSeconds}s`));
  });

  it('binds every listener to loopback and never to 0.0.0.0', () => {
    const all = [...etcdArgs(input), ...apiServerArgs(input), ...controllerManagerArgs(input), ...schedulerArgs(input)].join(' ');
    assert.doesNotMatch(all, /0\.0\.0\.0/);
    assert.match(apiServerArgs(input).join(' '), /--bind-address=127\.0\.0\.1/);
    assert.match(etcdArgs(input).join(' '), /http:\/\/127\.0\.0\.1:1/);
  });

  it('skips fsync in etcd only when asked', () => {
    assert.ok(etcdArgs(input).includes('--unsafe-no-fsync'));
    assert.ok(!etcdArgs({ ...input, fsync: true }).includes('--unsafe-no-fsync'));
  });

  it('lets the apiserver reach node agents over WebSockets for exec (route A)', () => {
    assert.match(apiServerArgs(input).join(' '), /ExtendWebSocketsToKubelet=true/);
    assert.ok(apiServerArgs(input).includes('--kubelet-preferred-address-types=InternalIP'));
  });
});
