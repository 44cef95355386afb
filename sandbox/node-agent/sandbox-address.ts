// The sandbox's one dial guard (reference 3.8): every outbound connection the agent makes
// (probes, anything a test asks it to reach) must target loopback, so no packet ever leaves the
// machine whatever a Pod spec says. Throwing, not returning false, makes a forgotten check loud.
import { isIP } from 'node:net';

/** True for 127.0.0.0/8 and ::1 (also written as an IPv4-mapped loopback). */
export function isSandboxAddress(address: string): boolean {
  const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIP(plain) === 4) return plain.split('.')[0] === '127';
  if (isIP(plain) === 6) return plain === '::1' || plain === '0:0:0:0:0:0:0:1';
  return false;
}

export class SandboxAddressError extends Error {
  readonly code = 'SBX_ERR_NON_LOOPBACK_ADDRESS';

  constructor(address: string, purpose: string) {
    super(`refusing to ${purpose} ${JSON.stringify(address)}: sandbox traffic stays on 127.0.0.0/8 and ::1`);
    this.name = 'SandboxAddressError';
  }
}

export function assertSandboxAddress(address: string, purpose = 'connect to'): void {
  if (!isSandboxAddress(address)) throw new SandboxAddressError(address, purpose);
}
