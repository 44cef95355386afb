import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertSandboxAddress, isSandboxAddress, UnsafeAddressError } from './address-guard.ts';

describe('assertSandboxAddress', () => {
  const allowed = ['127.0.0.1', '127.10.1.1', '127.10.3.254', '127.255.255.255', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.10.1.2'];
  const refused = ['10.0.0.1', '192.168.1.1', '198.18.0.10', '0.0.0.0', '8.8.8.8', '::', 'fe80::1', '::ffff:10.0.0.1', 'localhost',
    'kubernetes.default.svc', '', '128.0.0.1', '1270.0.0.1', '127.0.0', '::ffff:128.0.0.1'];

  for (const address of allowed) {
    it(`lets ${address} through`, () => {
      assert.equal(isSandboxAddress(address), true);
      assertSandboxAddress(address);
    });
  }
  for (const address of refused) {
    it(`refuses ${JSON.stringify(address)} with a coded error`, () => {
      assert.equal(isSandboxAddress(address), false);
      assert.throws(() => assertSandboxAddress(address), (error: unknown) => error instanceof UnsafeAddressError && error.code === 'SBX_ERR_UNSAFE_ADDRESS');
    });
  }
});
