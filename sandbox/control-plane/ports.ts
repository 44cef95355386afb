// Loopback ports for the control plane: the preferred fixed ports when free (the interactive
// sandbox), otherwise ephemeral ones picked by binding port 0 (tests, a second control plane).
import { createServer } from 'node:net';
import { HarnessError, HarnessErrorCodes } from '../harness-error.ts';

export type ControlPlanePorts = { readonly etcdClient: number; readonly etcdPeer: number; readonly apiServer: number; readonly controllerManager: number; readonly scheduler: number };

export const defaultPorts: ControlPlanePorts = { etcdClient: 2379, etcdPeer: 2380, apiServer: 6443, controllerManager: 10257, scheduler: 10259 };

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function ephemeralPort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error) => reject(new HarnessError(HarnessErrorCodes.NO_FREE_PORT, `no free port on ${host}`, { cause: error })));
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Picks a port per listener; `preferred` ports are used only when all of them are free. */
export async function allocatePorts(preferred?: ControlPlanePorts): Promise<ControlPlanePorts> {
  if (preferred !== undefined) {
    const free = await Promise.all(Object.values(preferred).map((p: number) => isPortFree(p)));
    if (free.every(Boolean)) return preferred;
  }
  const picked = new Set<number>();
  const next = async (): Promise<number> => {
    for (;;) {
      const port = await ephemeralPort();
      if (!picked.has(port)) return picked.add(port), port;
    }
  };
  return { etcdClient: await next(), etcdPeer: await next(), apiServer: await next(), controllerManager: await next(), scheduler: await next() };
}
