// Process entry of the sandbox's volume provisioner, started detached by `sandbox up`
// (sandbox/commands/provisioner.ts) with the admin kubeconfig:
//   node sandbox/storage/main.ts --state-dir D --kubeconfig K
// One provisioner serves every node: it only needs the PVC's selected node, volumes live on this
// machine, and node agents (node identity, no right to create PVs) stay out of it. Its log is
// JSON lines on stdout; "provisioner ready" tells the launcher it started.
import { parseArgs } from 'node:util';
import { startProvisioner } from './provisioner.ts';

const { values } = parseArgs({ options: { 'state-dir': { type: 'string' }, kubeconfig: { type: 'string' } } });
const stateDir = values['state-dir'];
const kubeconfigPath = values.kubeconfig;
if (stateDir === undefined || kubeconfigPath === undefined) {
  process.stderr.write('provisioner: --state-dir and --kubeconfig are required\n');
  process.exit(2);
}

const emit = (level: string, fields: object, msg: string): void => {
  const err = (fields as { err?: unknown }).err;
  const shown = err instanceof Error ? { ...fields, err: err.message } : fields;
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, ...shown, msg })}\n`);
};
const log = { info: (f: object, m: string) => emit('info', f, m), warn: (f: object, m: string) => emit('warn', f, m) };

const provisioner = await startProvisioner({ kubeconfigPath, stateDir, log }).catch((err: unknown) => {
  emit('error', { err }, 'provisioner failed to start');
  process.exit(1);
});
emit('info', { mode: provisioner.mode }, 'provisioner ready');

let stopping = false;
const shutdown = (): void => {
  if (stopping) return;
  stopping = true;
  // Volumes stay mounted: `sandbox down` unmounts them after the Pods using them are gone.
  void provisioner.stop().finally(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
