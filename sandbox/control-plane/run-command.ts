// Runs a short-lived tool (openssl, go) and returns its output; a missing tool becomes a
// HarnessError naming it, a failure carries the tool's stderr tail.
import { execFile } from 'node:child_process';
import { HarnessError, HarnessErrorCodes } from '../harness-error.ts';

export type CommandResult = { readonly stdout: string; readonly stderr: string };

export function runCommand(file: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { cwd: options.cwd, env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error === null) return resolve({ stdout, stderr });
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return reject(new HarnessError(HarnessErrorCodes.MISSING_TOOL, `${file} is not installed or not on PATH`, { cause: error }));
      }
      const tail = stderr.trim().split('\n').slice(-5).join(' | ');
      reject(new HarnessError(HarnessErrorCodes.START_FAILED, `${file} ${args[0] ?? ''} failed: ${tail || error.message}`, { cause: error }));
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
