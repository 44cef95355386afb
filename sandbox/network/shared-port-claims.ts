// Every node agent of a sandbox serves each NodePort on 127.0.0.1 with SO_REUSEPORT. Two sandboxes
// on one machine allocate NodePorts independently, and SO_REUSEPORT only asks that listeners share
// a user: without a guard the kernel would hand one sandbox's clients to the other sandbox's Pods.
// A machine-wide claim file per port names the sandbox (its state directory) that serves
// 127.0.0.1:<port>; another sandbox takes the port over only once nothing listens there any more.
// Each node's own address 127.10.n.1:<port> is not shared and needs no claim.
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export type SharedPortClaimOptions = {
  /** The sandbox state directory: what the claim names. */
  readonly stateDir: string;
  /** Default: `<tmpdir>/og-sandbox-nodeports-<uid>`, one for the machine (per user). */
  readonly dir?: string;
  /** Whether anything listens on 127.0.0.1:<port>; default reads /proc/net/tcp. */
  readonly isListening?: (port: number) => boolean;
};

/** Returns, for a port, why this sandbox may not serve it on 127.0.0.1, or undefined after claiming it. */
export function createSharedPortClaims(options: SharedPortClaimOptions): (nodePort: number) => string | undefined {
  const dir = options.dir ?? join(tmpdir(), `og-sandbox-nodeports-${String(process.getuid?.() ?? 0)}`);
  const owner = resolve(options.stateDir);
  const isListening = options.isListening ?? ((port: number) => listensOnLoopback(readFileSync('/proc/net/tcp', 'utf8'), port));
  mkdirSync(dir, { recursive: true });
  return (nodePort) => {
    const claim = join(dir, String(nodePort));
    const draft = join(dir, `.${String(nodePort)}.${String(process.pid)}`);
    writeFileSync(draft, owner);
    try {
      // link() publishes a complete file or fails with EEXIST: no reader sees half a claim.
      linkSync(draft, claim);
      return undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readFileSync(claim, 'utf8');
      if (holder === owner) return undefined;
      if (isListening(nodePort)) return `127.0.0.1:${String(nodePort)} is served by the sandbox of ${holder}`;
      // The other sandbox is gone (down, or all its agents stopped). Two sandboxes taking over the
      // same stale port in the same instant could both win; rare enough to be only documented.
      renameSync(draft, claim);
      return undefined;
    } finally {
      rmSync(draft, { force: true });
    }
  };
}

/** Whether /proc/net/tcp text shows a listener on 127.0.0.1:<port> or 0.0.0.0:<port>. */
export function listensOnLoopback(procNetTcp: string, port: number): boolean {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return procNetTcp.split('\n').slice(1).some((line) => {
    const [, local, , state] = line.trim().split(/\s+/);
    return state === '0A' && (local === `0100007F:${hexPort}` || local === `00000000:${hexPort}`);
  });
}
