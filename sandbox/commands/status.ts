// `sandbox status`: what runs, where, and whether the apiserver answers /readyz.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { httpGet } from '../control-plane/health.ts';
import { isRunning } from '../control-plane/processes.ts';
import { readState } from '../control-plane/state.ts';
import { nodeStatusLines } from './nodes.ts';
import { readProvisioner } from './provisioner.ts';

export async function status(stateDir: string, out: (line: string) => void): Promise<boolean> {
  const state = await readState(stateDir);
  if (state === undefined) {
    out(`no sandbox running (no ${join(stateDir, 'state.json')})`);
    return false;
  }
  for (const proc of state.processes) out(`${proc.name.padEnd(26)} pid ${String(proc.pid).padEnd(8)} ${isRunning(proc) ? 'running' : 'stopped'}`);
  const provisioner = await readProvisioner(stateDir);
  if (provisioner !== undefined) out(`${provisioner.name.padEnd(26)} pid ${String(provisioner.pid).padEnd(8)} ${isRunning(provisioner) ? 'running' : 'stopped'}`);
  for (const line of await nodeStatusLines(stateDir)) out(line);
  const pki = join(stateDir, 'pki');
  const [ca, cert, key] = await Promise.all(['ca.crt', 'admin.crt', 'admin.key'].map((f) => readFile(join(pki, f), 'utf8').catch(() => '')));
  const ready = await httpGet(`${state.apiServerUrl}/readyz`, { ca: ca ?? '', cert: cert ?? '', key: key ?? '' }).then((r) => r.status === 200, () => false);
  out(`kube-apiserver ${state.apiServerUrl} ${ready ? 'ready' : 'not ready'}`);
  out(`kubeconfig ${state.kubeconfigPath}`);
  return ready;
}
