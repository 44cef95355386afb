// Output of gs_ctl and gs_guc (opengauss.md §1): everything on stdout, prefixed lines carrying
// `[time][pid][node][tool]`, unprefixed lines, and lines `-s` suppresses. With GAUSSLOG set, each
// message is also appended to $GAUSSLOG/bin/<tool>/<tool>-current.log.
import { appendFileSync, mkdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { renderPrefixedLine } from '../core/log-line.ts';

export type ToolLog = {
  info(text: string): void;
  raw(text: string): void;
  quiet(text: string, prefixed?: boolean): void;
  // A prefixed line left open for progress dots (switchover).
  begin(text: string): void;
  setNodeName(name: string): void;
};

function appendToGaussLog(tool: string, line: string): void {
  const root = process.env['GAUSSLOG'];
  if (!root) return;
  try {
    const dir = join(root, 'bin', tool);
    mkdirSync(dir, { recursive: true });
    appendFileSync(join(dir, `${tool}-current.log`), `${line}\n`);
  } catch {
    // The log copy is best effort: an unwritable GAUSSLOG must not fail the command.
  }
}

export function createToolLog(tool: string, silent = false): ToolLog {
  let nodeName = '';
  const write = (line: string): void => {
    writeSync(1, `${line}\n`);
    appendToGaussLog(tool, line);
  };
  const prefixed = (text: string): string => renderPrefixedLine({ at: new Date(), pid: process.pid, nodeName, tool }, text);
  return {
    info: (text) => write(prefixed(text)),
    raw: (text) => write(text),
    quiet: (text, withPrefix = false) => {
      if (!silent) write(withPrefix ? prefixed(text) : text);
    },
    begin: (text) => {
      writeSync(1, prefixed(text));
      appendToGaussLog(tool, prefixed(text));
    },
    setNodeName: (name) => {
      nodeName = name;
    },
  };
}

// Partial-line output (the start/stop dots).
export function writeRaw(text: string): void {
  writeSync(1, text);
}
