// synchronous_standby_names (opengauss.md §4.2), parsed for the most_available_sync controller.
export type SyncStandbyNames = {
  readonly kind: 'FIRST' | 'ANY';
  readonly num: number;
  readonly list: string;
  readonly members: readonly string[];
};

const withNumber = /^\s*(?:(FIRST|ANY)\s+)?(\d+)\s*\((.*)\)\s*$/i;

function membersOf(list: string): string[] {
  return list.split(',').map((m) => m.trim().replace(/^"(.*)"$/, '$1')).filter((m) => m !== '');
}

// undefined means asynchronous (an empty value). A bare list means one synchronous standby.
export function parseSyncStandbyNames(value: string): SyncStandbyNames | undefined {
  if (value.trim() === '') return undefined;
  const m = withNumber.exec(value);
  if (m?.[2] && m[3] !== undefined) {
    const kind = (m[1] ?? 'FIRST').toUpperCase() === 'ANY' ? 'ANY' : 'FIRST';
    return { kind, num: Number(m[2]), list: m[3].trim(), members: membersOf(m[3]) };
  }
  return { kind: 'FIRST', num: 1, list: value.trim(), members: membersOf(value) };
}
