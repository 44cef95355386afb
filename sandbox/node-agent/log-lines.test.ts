import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseLogLine, renderLogLine, renderTimestamp, selectLogLines, splitLines } from './log-lines.ts';

const t0 = Date.parse('2026-01-02T03:04:05Z');
const line = (offsetMs: number, text: string): string => renderLogLine(BigInt(t0 + offsetMs) * 1_000_000n + 7n, text).trimEnd();

describe('container log lines', () => {
  it('stamps lines with nanosecond RFC 3339 times', () => {
    assert.equal(renderTimestamp(BigInt(t0 + 123) * 1_000_000n + 456n), '2026-01-02T03:04:05.123000456Z');
    assert.equal(parseLogLine(line(0, 'hello world')).text, 'hello world');
  });

  it('keeps an unterminated tail for later', () => {
    assert.deepEqual(splitLines('a\nb\npartial'), { lines: ['a', 'b'], rest: 'partial' });
  });

  it('selects the last lines, with or without timestamps', () => {
    const lines = [line(0, 'one'), line(1000, 'two'), line(2000, 'three')];
    assert.equal(selectLogLines(lines, { timestamps: false, tailLines: 2 }), 'two\nthree\n');
    assert.equal(selectLogLines(lines, { timestamps: false, tailLines: 0 }), '');
    assert.match(selectLogLines(lines, { timestamps: true, tailLines: 1 }), /^2026-01-02T03:04:07\.000000007Z three\n$/);
  });

  it('filters by since before taking the tail', () => {
    const lines = [line(0, 'one'), line(1000, 'two'), line(2000, 'three')];
    assert.equal(selectLogLines(lines, { timestamps: false, sinceMs: t0 + 1000 }), 'two\nthree\n');
  });
});
