// Turns a container's raw output file into its log file, one timestamped line per output line.
// The container writes the raw file directly (so it never blocks on, or dies with, the agent);
// the agent polls it and remembers how far it got in `<n>.offset`, so a restarted agent resumes
// without duplicating lines.
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { renderLogLine, splitLines } from './log-lines.ts';

export type LogFiles = { readonly raw: string; readonly log: string; readonly offset: string };

export function logFilesFor(dir: string, instance: number): LogFiles {
  return { raw: `${dir}/${String(instance)}.raw`, log: `${dir}/${String(instance)}.log`, offset: `${dir}/${String(instance)}.offset` };
}

export type LogCollector = { drain(): void; stop(): void };

let sequence = 0n;
/** Wall-clock nanoseconds, strictly increasing so lines of one millisecond keep their order. */
function nowNs(): bigint {
  sequence = (sequence + 1n) % 1_000_000n;
  return BigInt(Date.now()) * 1_000_000n + sequence;
}

export function startLogCollector(files: LogFiles, pollMs = 200): LogCollector {
  let offset = existsSync(files.offset) ? Number(readFileSync(files.offset, 'utf8')) || 0 : 0;
  let rest = '';
  const buffer = Buffer.alloc(64 * 1024);

  const drain = (final = false): void => {
    if (!existsSync(files.raw)) return;
    const fd = openSync(files.raw, 'r');
    try {
      let text = '';
      for (let n = readSync(fd, buffer, 0, buffer.length, offset); n > 0; n = readSync(fd, buffer, 0, buffer.length, offset)) {
        text += buffer.subarray(0, n).toString('utf8');
        offset += n;
      }
      const { lines, rest: left } = splitLines(rest + text);
      rest = left;
      if (final && rest !== '') {
        lines.push(rest);
        rest = '';
      }
      if (lines.length === 0) return;
      appendFileSync(files.log, lines.map((l) => renderLogLine(nowNs(), l)).join(''));
      // The offset counts only bytes whose lines are written; an unterminated tail is re-read.
      writeFileSync(files.offset, String(offset - Buffer.byteLength(rest)));
    } finally {
      closeSync(fd);
    }
  };
  const safeDrain = (final: boolean): void => {
    try {
      drain(final);
    } catch {
      // a vanished log directory (pod cleaned up) ends collection silently
    }
  };
  const timer = setInterval(() => safeDrain(false), pollMs);
  return {
    drain: () => safeDrain(false),
    stop: () => {
      clearInterval(timer);
      safeDrain(true);
    },
  };
}
