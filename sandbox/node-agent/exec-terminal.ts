// The window size of a `tty=1` exec's pseudo-terminal, set from the resize channel.
//
// The pty belongs to util-linux `script` (exec-process.ts), which holds its slave side open for its
// whole life. `stty -F /proc/<pid>/fd/<n> rows H cols W` reopens that very slave through the
// /proc magic link, so it works whatever mount namespace the exec entered, and sets its size with
// TIOCSWINSZ; the kernel then sends SIGWINCH to the terminal's foreground process group, as a
// container runtime's resize on the pty master does. This needs no native module and no compiled
// helper: coreutils' stty does the ioctl.
//
// Clients send their size as soon as the stream opens, usually before `script` has made the pty,
// so only the latest size is kept and applied once the pty exists. Everything is asynchronous:
// a resize frame never blocks the agent.
import { execFile } from 'node:child_process';
import { readFile, readdir, readlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { Logger } from './log.ts';

export type TerminalSize = { readonly width: number; readonly height: number };

export type TerminalResizer = {
  /** Remembers the size and applies it as soon as the pty exists (now, if it does). */
  resize(size: TerminalSize): void;
  /** The exec ended: stop looking, its pid may be reused. */
  close(): void;
};

const execFileAsync = promisify(execFile);
const ptySlaveTarget = /^\/dev\/pts\/\d+$/;
const ptyPollMs = 50;
const ptyWaitMs = 10_000;
const sttyTimeoutMs = 2_000;

/**
 * `/proc/<pid>/fd/<n>` of the pty slave held by `pid`, once `pid` is `script` (the exec's pid runs
 * nsenter, sh and setpriv first, each exec'ing the next; only `script` opens a pty).
 */
export async function findPtySlave(pid: number): Promise<string | undefined> {
  try {
    if ((await readFile(`/proc/${String(pid)}/comm`, 'utf8')).trim() !== 'script') return undefined;
    for (const fd of await readdir(`/proc/${String(pid)}/fd`)) {
      const link = `/proc/${String(pid)}/fd/${fd}`;
      if (ptySlaveTarget.test(await readlink(link).catch(() => ''))) return link;
    }
  } catch {
    // not started yet, or already gone
  }
  return undefined;
}

async function setWindowSize(slave: string, size: TerminalSize): Promise<void> {
  await execFileAsync('stty', ['-F', slave, 'rows', String(size.height), 'cols', String(size.width)], { timeout: sttyTimeoutMs });
}

const sameSize = (a: TerminalSize | undefined, b: TerminalSize | undefined): boolean => a?.width === b?.width && a?.height === b?.height;

export function createTerminalResizer(pid: number, log: Logger): TerminalResizer {
  let wanted: TerminalSize | undefined;
  let applied: TerminalSize | undefined;
  let slave: string | undefined;
  let running = false;
  let closed = false;
  const startedAt = Date.now();

  /** One loop at a time; it exits once the latest size is applied (or can never be). */
  const applyLatest = async (): Promise<void> => {
    running = true;
    try {
      while (!closed && wanted !== undefined && !sameSize(wanted, applied)) {
        slave ??= await findPtySlave(pid);
        if (slave === undefined) {
          if (Date.now() - startedAt > ptyWaitMs) {
            log.warn({ pid }, 'exec pseudo-terminal not found; resize ignored');
            return;
          }
          await sleep(ptyPollMs);
          continue;
        }
        const size = wanted;
        await setWindowSize(slave, size).catch((err: unknown) => {
          // The exec has ended (or the pty is gone): later sizes would fail the same way.
          if (!closed) log.warn({ err, pid }, 'exec resize failed');
          closed = true;
        });
        applied = size;
      }
    } finally {
      running = false;
    }
  };

  return {
    resize(size) {
      wanted = size;
      if (!running) void applyLatest();
    },
    close() {
      closed = true;
    },
  };
}
