// Test helpers shared by the network tests: child processes that are always killed (their
// whole process group) and small TCP servers that answer with the caller's address.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { once } from 'node:events';

const started = new Set<ChildProcess>();

/** Spawns in a new process group and remembers it for killAll(). */
export function spawnTracked(file: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options, detached: true });
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

/** SIGKILLs the process group of every tracked child still running and waits for them. */
export async function killAll(): Promise<void> {
  const waits = [...started].map(async (child) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
    await exited;
  });
  await Promise.all(waits);
}

/** Resolves with the first stdout line matching `pattern`, rejecting on exit or timeout. */
export function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let errors = '';
    const timer = setTimeout(() => finish(new Error(`no line matching ${String(pattern)} within ${timeoutMs} ms; stderr: ${errors}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => pattern.test(l));
      if (line !== undefined) finish(undefined, line);
    };
    const onErr = (chunk: Buffer): void => { errors += chunk.toString(); };
    const onExit = (code: number | null): void => finish(new Error(`exited with ${String(code)} before printing ${String(pattern)}; stderr: ${errors}`));
    function finish(error?: Error, line?: string): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onErr);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(line ?? '');
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onErr);
    child.once('exit', onExit);
  });
}

/** A port that was free on 127.0.0.1 a moment ago (reference §2.1). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Runs a command to completion and returns its exit code and output. */
export async function runToEnd(file: string, args: readonly string[], options: SpawnOptions = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnTracked(file, args, options);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}
