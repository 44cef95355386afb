// Against a real util-linux `script` (as exec-process.ts runs it for tty=1): the size sent before
// the pty exists is applied once it does, and a later resize reaches the program as SIGWINCH.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createTerminalResizer, findPtySlave } from './exec-terminal.ts';
import { silentLogger } from './log.ts';

const sizeReporter = `trap 'stty size' WINCH; echo ready; while :; do sleep 0.05; done`;

function startScript(): { pid: number; output: () => string; stop: () => void } {
  const child = spawn('script', ['-qefc', sizeReporter, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  if (child.pid === undefined) throw new Error('script did not start');
  const pid = child.pid;
  return { pid, output: () => output, stop: () => process.kill(-pid, 'SIGKILL') };
}

async function waitForOutput(read: () => string, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!pattern.test(read())) {
    if (Date.now() > deadline) throw new Error(`no ${String(pattern)} in ${JSON.stringify(read())}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('exec terminal resize', { timeout: 30_000 }, () => {
  it('applies the size sent before the pty exists, then each new size, as SIGWINCH', async () => {
    const script = startScript();
    const resizer = createTerminalResizer(script.pid, silentLogger);
    try {
      resizer.resize({ width: 101, height: 33 });
      await waitForOutput(script.output, /^33 101\r?$/m);
      resizer.resize({ width: 120, height: 44 });
      await waitForOutput(script.output, /^44 120\r?$/m);
      assert.match(await findPtySlave(script.pid) ?? '', /^\/proc\/\d+\/fd\/\d+$/);
    } finally {
      resizer.close();
      script.stop();
    }
  });

  it('finds no pty in a process that is not script', async () => {
    assert.equal(await findPtySlave(process.pid), undefined);
  });
});
