// postgresql.conf text: read entries and edit lines the way gs_guc does (opengauss.md §5.1). The file
// keeps openGauss names and values; the engine derives PostgreSQL's configuration from it.
export type ConfEntry = { readonly name: string; readonly rawValue: string; readonly value: string };

type ParsedLine = { readonly commented: boolean; readonly name: string; readonly rawValue: string };

const linePattern = /^\s*(#?)\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*(=)?\s*(.*)$/;

function readQuoted(text: string): string {
  // A quoted value ends at the first quote not doubled and not escaped by a backslash.
  let i = 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') i += 2;
    else if (ch === "'" && text[i + 1] === "'") i += 2;
    else if (ch === "'") return text.slice(0, i + 1);
    else i += 1;
  }
  return text;
}

function readRawValue(rest: string): string {
  if (rest.startsWith("'")) return readQuoted(rest);
  return /^[^\s#]*/.exec(rest)?.[0] ?? '';
}

function parseLine(line: string): ParsedLine | undefined {
  const m = linePattern.exec(line);
  if (!m?.[2]) return undefined;
  const commented = m[1] === '#';
  // A commented line counts as a setting only in the `#name = value` shape; prose comments do not.
  if (commented && m[3] !== '=') return undefined;
  if (!commented && m[3] !== '=' && (m[4] ?? '') === '') return undefined;
  return { commented, name: m[2].toLowerCase(), rawValue: readRawValue(m[4] ?? '') };
}

export function unquoteConfValue(raw: string): string {
  if (!raw.startsWith("'")) return raw;
  const inner = raw.endsWith("'") && raw.length >= 2 ? raw.slice(1, -1) : raw.slice(1);
  return inner.replace(/''/g, "'").replace(/\\(.)/g, '$1');
}

export function quoteConfValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

// Active entries, in file order, the last occurrence of a name winning as in PostgreSQL.
export function parseConf(text: string): Map<string, ConfEntry> {
  const entries = new Map<string, ConfEntry>();
  for (const line of text.split('\n')) {
    const parsed = parseLine(line);
    if (!parsed || parsed.commented) continue;
    entries.delete(parsed.name);
    entries.set(parsed.name, { name: parsed.name, rawValue: parsed.rawValue, value: unquoteConfValue(parsed.rawValue) });
  }
  return entries;
}

function lineIndexes(lines: readonly string[], name: string): { active: number[]; commented: number[] } {
  const active: number[] = [];
  const commented: number[] = [];
  lines.forEach((line, i) => {
    const parsed = parseLine(line);
    if (parsed?.name !== name) return;
    (parsed.commented ? commented : active).push(i);
  });
  return { active, commented };
}

// Sets `name = rawValue`: the last active line is rewritten in place, else the first commented
// `#name = ...` line, else the line is appended. Other active lines of the name are commented out.
export function setConfValue(text: string, name: string, rawValue: string): string {
  const lines = text.split('\n');
  const key = name.toLowerCase();
  const { active, commented } = lineIndexes(lines, key);
  const target = active.at(-1) ?? commented[0];
  const newLine = `${name} = ${rawValue}`;
  for (const i of active) if (i !== target) lines[i] = `#${lines[i] ?? ''}`;
  if (target !== undefined) {
    lines[target] = newLine;
    return lines.join('\n');
  }
  const body = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  return `${body}${newLine}\n`;
}

// `gs_guc set -c "name"` comments the setting out (a reset to the default).
export function commentOutConfValue(text: string, name: string): string {
  const lines = text.split('\n');
  for (const i of lineIndexes(lines, name.toLowerCase()).active) lines[i] = `#${lines[i] ?? ''}`;
  return lines.join('\n');
}
