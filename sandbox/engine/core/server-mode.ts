// The -M role of gs_ctl and gaussdb (opengauss.md §2.1, §2.2); `normal` is a start without -M.
export const serverModes = ['primary', 'standby', 'cascade_standby', 'pending', 'normal'] as const;
export type ServerMode = (typeof serverModes)[number];

export function parseServerMode(word: string): ServerMode | undefined {
  return (serverModes as readonly string[]).includes(word) ? (word as ServerMode) : undefined;
}

export function isStandbyMode(mode: ServerMode): boolean {
  return mode === 'standby' || mode === 'cascade_standby' || mode === 'pending';
}

// The local_role reported for a running instance in a mode (§2.3 value domains).
export function roleName(mode: ServerMode): string {
  const names: Record<ServerMode, string> = {
    primary: 'Primary', standby: 'Standby', cascade_standby: 'Cascade Standby', pending: 'Pending', normal: 'Normal',
  };
  return names[mode];
}
