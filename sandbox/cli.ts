// Entry point of `npm run sandbox -- …`. Failures print one line saying what is wrong (and,
// for components, the log tail), never a bare stack trace, and leave no process behind; so does
// Ctrl-C or SIGTERM during `up`'s start-up, which then exits 130 or 143.
import { parseSandboxArgs, usage, type SandboxCommand, type UpOptions } from './cli-args.ts';
import { killCommand, nodeCommand } from './commands/nodes.ts';
import { partitionCommand } from './commands/partition.ts';
import { readState } from './control-plane/state.ts';
import { printHowTo, up } from './commands/up.ts';
import { sandboxKubectl } from './commands/operator.ts';
import { waitForSampleUnless } from './commands/sample.ts';
import { stopRecorded } from './commands/down.ts';
import { status } from './commands/status.ts';
import { HarnessError, HarnessErrorCodes } from './harness-error.ts';
import { interruptOnStopSignals, Interrupted, unlessInterrupted } from './control-plane/interrupt.ts';
import { isRunning, type RecordedProcess } from './control-plane/processes.ts';
import { defaultStateDir } from './repo-root.ts';
import { rm } from 'node:fs/promises';

const out = (line: string): void => { process.stdout.write(`${line}\n`); };

/** Resolves on Ctrl-C or SIGTERM (`interrupt`), or when a component dies (the timer also keeps Node alive). */
function waitForStop(procs: readonly RecordedProcess[], interrupt: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const finish = (why: string): void => { clearInterval(timer); resolve(why); };
    const timer = setInterval(() => {
      const dead = procs.find((p) => !isRunning(p));
      if (dead !== undefined) finish(`${dead.name} exited (log ${dead.logPath})`);
    }, 2000);
    interrupt.addEventListener('abort', () => finish((interrupt.reason as Interrupted).signal), { once: true });
  });
}

async function upCommand(stateDir: string, options: UpOptions): Promise<number> {
  // Listening from the very first step: a stop signal at any point of start-up stops whatever was
  // started (Node's default would kill this process and leave the components running).
  const interrupt = interruptOnStopSignals('start-up');
  const { plane, processes } = await unlessInterrupted(interrupt.signal, () => up(stateDir, options, out, interrupt.signal));
  // Detached and up: Ctrl-C now only ends this command (e.g. during the sample's wait).
  if (options.detach) interrupt.dispose();
  const stopped = options.detach ? undefined : waitForStop(processes, interrupt.signal);
  const sample = options.sample ? await waitForSampleUnless(stateDir, sandboxKubectl(stateDir), out, stopped) : undefined;
  if (sample !== 'aborted') printHowTo(stateDir, out, options);
  if (stopped === undefined) return 0;
  if (sample !== 'aborted') out('running in the foreground; Ctrl-C stops everything');
  const why = await stopped;
  out(`${why}: stopping the sandbox`);
  // Agents first, while the apiserver still answers; then the rest.
  await stopRecorded(stateDir);
  await plane.stop();
  return why.startsWith('SIG') ? 0 : 1;
}

async function faultCommand(stateDir: string, command: Extract<SandboxCommand, { kind: 'node' | 'kill' | 'partition' }>): Promise<number> {
  const state = await readState(stateDir);
  if (state === undefined) throw new HarnessError(HarnessErrorCodes.STATE, `no sandbox running in ${stateDir}: \`npm run sandbox -- up\` first`);
  switch (command.kind) {
    case 'node': await nodeCommand(stateDir, state.apiServerUrl, command.action, command.node, out); return 0;
    case 'kill': await killCommand(stateDir, command, out); return 0;
    case 'partition': await partitionCommand(stateDir, command, out); return 0;
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const command = parseSandboxArgs(argv);
  const stateDir = process.env['SANDBOX_STATE_DIR'] || defaultStateDir;
  switch (command.kind) {
    case 'help':
      out(usage);
      return 0;
    case 'status':
      return (await status(stateDir, out)) ? 0 : 1;
    case 'down': {
      const stopped = await stopRecorded(stateDir);
      if (command.purge) await rm(stateDir, { recursive: true, force: true });
      out(`sandbox down: ${stopped} process(es) stopped`);
      return 0;
    }
    case 'node': case 'kill': case 'partition':
      return faultCommand(stateDir, command);
    case 'up':
      return upCommand(stateDir, command.options);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof HarnessError) {
    process.stderr.write(`sandbox: ${error.message}\n`);
  } else {
    process.stderr.write(`sandbox: unexpected failure: ${(error as Error).message ?? String(error)}\n`);
    if (error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  }
  process.exitCode = error instanceof Interrupted ? error.exitCode : 1;
}
