// GET /containerLogs (reference 3.4): the current or previous instance's log, optionally
// followed until that instance ends. Streamed and flushed as plain text.
import { existsSync, readFileSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { logFilesFor } from './log-collector.ts';
import { parseLogLine, selectLogLines, splitLines } from './log-lines.ts';
import type { LogRequest } from './kubelet-requests.ts';
import type { Located } from './pod-directory.ts';

type Found = Extract<Located, { ok: true }>;

function chooseInstance(found: Found, previous: boolean): number | string {
  const { slot } = found;
  const current = slot.runs - 1;
  if (previous) {
    if (current < 1) return `previous terminated container "${slot.spec.name}" in pod "${found.worker.pod.metadata?.name ?? ''}" not found`;
    return current - 1;
  }
  if (current < 0) {
    const reason = slot.record.state.kind === 'waiting' ? slot.record.state.reason : 'ContainerCreating';
    return `container "${slot.spec.name}" in pod "${found.worker.pod.metadata?.name ?? ''}" is waiting to start: ${reason}`;
  }
  return current;
}

function readFrom(path: string, offset: number): { text: string; size: number } {
  if (!existsSync(path)) return { text: '', size: 0 };
  const size = statSync(path).size;
  if (size <= offset) return { text: '', size };
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(size - offset);
    readSync(fd, buffer, 0, buffer.length, offset);
    return { text: buffer.toString('utf8'), size };
  } finally {
    closeSync(fd);
  }
}

export function serveLogs(found: Found, request: LogRequest, res: ServerResponse): void {
  const instance = chooseInstance(found, request.previous);
  if (typeof instance === 'string') {
    res.writeHead(400, { 'content-type': 'text/plain' }).end(instance);
    return;
  }
  const { slot } = found;
  if (!request.previous) slot.collector?.drain();
  const file = logFilesFor(found.worker.logDir(slot.spec.name), instance).log;
  let remaining = request.limitBytes ?? Number.POSITIVE_INFINITY;
  const write = (text: string): boolean => {
    if (remaining <= 0 || text === '') return remaining > 0;
    const bytes = Buffer.from(text);
    const chunk = bytes.length > remaining ? bytes.subarray(0, remaining) : bytes;
    remaining -= chunk.length;
    res.write(chunk);
    return remaining > 0;
  };
  res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
  const initial = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const { lines } = splitLines(initial);
  const more = write(selectLogLines(lines, request));
  const followable = request.follow && !request.previous && more && slot.runs - 1 === instance && slot.proc !== undefined;
  if (!followable) {
    res.end();
    return;
  }
  follow(found, instance, file, Buffer.byteLength(initial) - Buffer.byteLength(splitLines(initial).rest), request, res, write);
}

function follow(found: Found, instance: number, file: string, start: number, request: LogRequest, res: ServerResponse, write: (t: string) => boolean): void {
  let offset = start;
  const { slot } = found;
  const tick = (): void => {
    slot.collector?.drain();
    const { text } = readFrom(file, offset);
    const { lines, rest } = splitLines(text);
    offset += Buffer.byteLength(text) - Buffer.byteLength(rest);
    const body = lines.map((l) => (request.timestamps ? l : parseLogLine(l).text)).map((l) => `${l}\n`).join('');
    const more = write(body);
    const ended = slot.runs - 1 !== instance || slot.proc === undefined;
    if (!more || (ended && lines.length === 0)) {
      clearInterval(timer);
      res.end();
    }
  };
  const timer = setInterval(tick, 200);
  res.on('close', () => clearInterval(timer));
}
