import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HarnessError } from '../harness-error.ts';
import { allocatePorts, defaultPorts, type BindPort } from './ports.ts';

const refused = (code: string): BindPort => () => Promise.reject(Object.assign(new Error(`listen ${code} 127.0.0.1`), { code }));

function isNoFreePort(pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof HarnessError);
    assert.equal(error.code, 'SBX_ERR_NO_FREE_PORT');
    assert.doesNotMatch(error.message, /\n/, 'one line');
    assert.match(error.message, pattern);
    return true;
  };
}

describe('control-plane ports', () => {
  it('says in one line that no port is free when the kernel refuses every bind', async () => {
    await assert.rejects(allocatePorts(undefined, refused('EADDRINUSE')),
      isNoFreePort(/^no free port on 127\.0\.0\.1 \(EADDRINUSE\): stop what holds the ephemeral ports/));
  });

  it('fails, instead of looping forever, when binds keep returning ports already picked', async () => {
    const stuck: BindPort = () => Promise.resolve(40_000);
    await assert.rejects(allocatePorts(undefined, stuck), isNoFreePort(/^no free port on 127\.0\.0\.1: 50 binds in a row returned ports already picked \(40000\)$/));
  });

  it('uses the preferred ports only when all are free, else five distinct ephemeral ones', async () => {
    const allFree: BindPort = (p) => Promise.resolve(p);
    assert.deepEqual(await allocatePorts(defaultPorts, allFree), defaultPorts);
    let next = 50_000;
    const apiServerTaken: BindPort = (p) => p === defaultPorts.apiServer ? refused('EADDRINUSE')(p, '') : Promise.resolve(p === 0 ? next++ : p);
    assert.deepEqual(await allocatePorts(defaultPorts, apiServerTaken),
      { etcdClient: 50_000, etcdPeer: 50_001, apiServer: 50_002, controllerManager: 50_003, scheduler: 50_004 });
  });

  it('binds real loopback ports by default', async () => {
    const ports = Object.values(await allocatePorts());
    assert.equal(new Set(ports).size, 5);
    for (const p of ports) assert.ok(p > 0 && p < 65_536);
  });
});
