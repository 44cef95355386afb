// The sandbox's one address guard (reference §3.8): every outbound connection and listener of the
// node agent (probes, kubelet API), the NodePort proxy, the provisioner and test utilities passes
// through it, so a bug that would send traffic to a real host (a ClusterIP, a Pod IP outside
// loopback) fails loudly instead. Throwing, not returning false, makes a forgotten check loud.
import { isIP } from 'node:net';

export const UNSAFE_ADDRESS = 'SBX_ERR_UNSAFE_ADDRESS';

export class UnsafeAddressError extends Error {
  readonly code = UNSAFE_ADDRESS;

  constructor(address: string, purpose = 'dial') {
    super(`refusing to ${purpose} ${JSON.stringify(address)}: the sandbox only talks to 127.0.0.0/8 and ::1`);
    this.name = 'UnsafeAddressError';
  }
}

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback (::ffff:127.x.y.z); false for anything else, names included. */
export function isSandboxAddress(address: string): boolean {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(bare);
  if (family === 4) return bare.split('.')[0] === '127';
  if (family !== 6) return false;
  const lower = bare.toLowerCase();
  if (lower === '::1' || lower === '0:0:0:0:0:0:0:1') return true;
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  return mapped?.[1] !== undefined && isSandboxAddress(mapped[1]);
}

/** Throws UnsafeAddressError unless `address` is a loopback IP literal (host names are refused too). */
export function assertSandboxAddress(address: string, purpose = 'dial'): void {
  if (!isSandboxAddress(address)) throw new UnsafeAddressError(address, purpose);
}
