// gs_ctl/gs_guc line prefix (opengauss.md §1): `[<local YYYY-MM-DD HH:MM:SS.mmm>][<pid>][<node>][<tool>]: <text>`.
export type LogLineParts = { readonly at: Date; readonly pid: number; readonly nodeName: string; readonly tool: string };

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function renderLocalTimestamp(at: Date): string {
  const date = `${at.getFullYear()}-${pad(at.getMonth() + 1, 2)}-${pad(at.getDate(), 2)}`;
  const time = `${pad(at.getHours(), 2)}:${pad(at.getMinutes(), 2)}:${pad(at.getSeconds(), 2)}.${pad(at.getMilliseconds(), 3)}`;
  return `${date} ${time}`;
}

export function renderPrefixedLine(parts: LogLineParts, text: string): string {
  return `[${renderLocalTimestamp(parts.at)}][${parts.pid}][${parts.nodeName}][${parts.tool}]: ${text}`;
}

// The prefix regex opengauss.md §1 recommends to parsers; tests use it to strip prefixes.
export const prefixPattern = /^\[[^\]]*\]\[\d+\]\[[^\]]*\]\[[a-z_]+\]: ?/;
