// The volume provisioner as a process of the sandbox: `up` starts it (detached, so it outlives
// `up --detach`) before the node agents and records it in provisioner.json; `down` stops it after
// the agents and then unmounts and deletes every volume (cleanupVolumes).
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isRunning, startProcess, stopProcess, type RecordedProcess } from '../control-plane/processes.ts';
import { HarnessError, HarnessErrorCodes } from '../harness-error.ts';
import { repoRoot } from '../repo-root.ts';
import { cleanupVolumes } from '../storage/volume-store.ts';

const recordFile = (stateDir: string): string => join(stateDir, 'provisioner.json');
const readyTimeoutMs = 30_000;

export async function readProvisioner(stateDir: string): Promise<RecordedProcess | undefined> {
  try {
    return JSON.parse(await readFile(recordFile(stateDir), 'utf8')) as RecordedProcess;
  } catch {
    return undefined;
  }
}

export async function startProvisionerProcess(stateDir: string, out: (line: string) => void): Promise<RecordedProcess> {
  const logPath = join(stateDir, 'logs', 'provisioner.log');
  const binary = join(repoRoot, 'node_modules', '.bin', 'node');
  const args = [join(repoRoot, 'sandbox', 'storage', 'main.ts'), '--state-dir', stateDir, '--kubeconfig', join(stateDir, 'kubeconfig')];
  const proc = startProcess('provisioner', binary, args, { logPath, cwd: repoRoot });
  await writeFile(recordFile(stateDir), `${JSON.stringify(proc)}\n`);
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    const log = await readFile(logPath, 'utf8').catch(() => '');
    const ready = log.split('\n').find((line) => line.includes('"msg":"provisioner ready"'));
    if (ready !== undefined) {
      const mode = (JSON.parse(ready) as { mode?: { kind?: string; fs?: string; why?: string } }).mode;
      out(`volume provisioner ready (StorageClass sandbox-local): ${mode?.kind === 'loop' ? `loop-mounted ${mode.fs ?? ''} images` : `plain directories (${mode?.why ?? 'no loop devices'})`}`);
      return proc;
    }
    const tail = log.split('\n').slice(-10).join('\n');
    if (!isRunning(proc)) throw new HarnessError(HarnessErrorCodes.START_FAILED, `the volume provisioner exited during start (log ${logPath}):\n${tail}`);
    if (Date.now() > deadline) throw new HarnessError(HarnessErrorCodes.NOT_READY, `the volume provisioner was not ready within ${readyTimeoutMs / 1000} s (log ${logPath}):\n${tail}`);
    await sleep(100);
  }
}

/** Stops the provisioner (if recorded) and removes every volume; call after the node agents stopped. */
export async function stopProvisionerAndVolumes(stateDir: string): Promise<number> {
  const proc = await readProvisioner(stateDir);
  const wasRunning = proc !== undefined && isRunning(proc);
  if (proc !== undefined) await stopProcess(proc);
  await rm(recordFile(stateDir), { force: true });
  await cleanupVolumes(stateDir);
  return wasRunning ? 1 : 0;
}
