// Container log files hold one line per output line, prefixed by an RFC 3339 nanosecond
// timestamp (reference 3.3), so `timestamps`, `sinceTime` and `tailLines` are answered from the
// file alone. Pure helpers for writing and selecting lines.

/** RFC 3339 with nine fractional digits from nanoseconds since the epoch. */
export function renderTimestamp(epochNs: bigint): string {
  const ms = Number(epochNs / 1_000_000n);
  const fraction = (epochNs % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(ms).toISOString().slice(0, 19)}.${fraction}Z`;
}

export function renderLogLine(epochNs: bigint, text: string): string {
  return `${renderTimestamp(epochNs)} ${text}\n`;
}

/** Splits new output into complete lines and the unterminated rest to keep for later. */
export function splitLines(pending: string): { lines: string[]; rest: string } {
  const parts = pending.split('\n');
  const rest = parts.pop() ?? '';
  return { lines: parts, rest };
}

export type LogLine = { readonly timeMs: number; readonly text: string; readonly raw: string };

export function parseLogLine(raw: string): LogLine {
  const space = raw.indexOf(' ');
  const stamp = space === -1 ? '' : raw.slice(0, space);
  const timeMs = Date.parse(stamp);
  if (Number.isNaN(timeMs)) return { timeMs: 0, text: raw, raw };
  return { timeMs, text: raw.slice(space + 1), raw };
}

export type LogSelection = { readonly timestamps: boolean; readonly tailLines?: number; readonly sinceMs?: number };

/** The lines a request shows, rendered as the response body (each line ends with a newline). */
export function selectLogLines(lines: readonly string[], selection: LogSelection): string {
  let chosen = lines.map(parseLogLine);
  if (selection.sinceMs !== undefined) {
    const since = selection.sinceMs;
    chosen = chosen.filter((l) => l.timeMs >= since);
  }
  if (selection.tailLines !== undefined) chosen = selection.tailLines === 0 ? [] : chosen.slice(-selection.tailLines);
  return chosen.map((l) => `${selection.timestamps ? l.raw : l.text}\n`).join('');
}
