// Loopback ports for the control plane: the preferred fixed ports when free (the interactive
// sandbox), otherwise ephemeral ones picked by binding port 0 (tests, a second control plane).
import { createServer } from 'node:net';
import { HarnessError, HarnessErrorCodes } from '../harness-error.ts';

export type ControlPlanePorts = { readonly etcdClient: number; readonly etcdPeer: number; readonly apiServer: number; readonly controllerManager: number; readonly scheduler: number };

export const defaultPorts: ControlPlanePorts = { etcdClient: 2379, etcdPeer: 2380, apiServer: 6443, controllerManager: 10257, scheduler: 10259 };

const loopback = '127.0.0.1';

/** Binds `port` (0: any) on `host`, releases it, and returns the port it got; rejects with the errno error. */
export type BindPort = (port: number, host: string) => Promise<number>;

export const bindAndRelease: BindPort = (port, host) => new Promise((resolve, reject) => {
  const server = createServer();
  server.once('error', reject);
  server.listen({ port, host, exclusive: true }, () => {
    const address = server.address();
    const bound = typeof address === 'object' && address !== null ? address.port : 0;
    server.close(() => resolve(bound));
  });
});

export function isPortFree(port: number, host = loopback, bind: BindPort = bindAndRelease): Promise<boolean> {
  return bind(port, host).then(() => true, () => false);
}

// The kernel hands out ephemeral ports in turn, so a repeat is rare; this many in a row means
// it has (almost) none left.
const maxRepeats = 50;

/** Picks a port per listener; `preferred` ports are used only when all of them are free. */
export async function allocatePorts(preferred?: ControlPlanePorts, bind: BindPort = bindAndRelease): Promise<ControlPlanePorts> {
  if (preferred !== undefined) {
    const free = await Promise.all(Object.values(preferred).map((p: number) => isPortFree(p, loopback, bind)));
    if (free.every(Boolean)) return preferred;
  }
  const picked = new Set<number>();
  const next = async (): Promise<number> => {
    for (let repeats = 0; repeats < maxRepeats; repeats++) {
      const port = await bind(0, loopback).catch((error: unknown) => {
        const why = (error as NodeJS.ErrnoException).code ?? String(error);
        throw new HarnessError(HarnessErrorCodes.NO_FREE_PORT, `no free port on ${loopback} (${why}): stop what holds the ephemeral ports (ss -tlnp), or widen net.ipv4.ip_local_port_range`, { cause: error });
      });
      if (!picked.has(port)) return picked.add(port), port;
    }
    throw new HarnessError(HarnessErrorCodes.NO_FREE_PORT, `no free port on ${loopback}: ${maxRepeats} binds in a row returned ports already picked (${[...picked].join(', ')})`);
  };
  return { etcdClient: await next(), etcdPeer: await next(), apiServer: await next(), controllerManager: await next(), scheduler: await next() };
}
