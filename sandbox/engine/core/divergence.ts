// A former primary with diverged WAL never reports a clean error in PostgreSQL; the server log shows it
// (opengauss.md §10.6). Only messages since the last server start count, so a rebuild clears them.
export type Divergence = 'WAL segment removed' | 'Timeline not matched';

const startMarker = /starting PostgreSQL \d+/g;
const patterns: readonly (readonly [RegExp, Divergence])[] = [
  [/is behind recovery timeline/, 'Timeline not matched'],
  [/forked off current database system timeline/, 'WAL segment removed'],
  [/is not a child of this server's history/, 'WAL segment removed'],
  [/requested WAL segment \S+ has already been removed/, 'WAL segment removed'],
  // A former primary that wrote WAL its successor never received, on the same timeline: the new
  // primary refuses to stream from a point it does not have.
  [/requested starting point \S+ is ahead of the WAL flush position of this server/, 'WAL segment removed'],
];

export function detectDivergence(logText: string): Divergence | undefined {
  let since = 0;
  for (const m of logText.matchAll(startMarker)) since = m.index;
  const recent = logText.slice(since);
  let found: { at: number; kind: Divergence } | undefined;
  for (const [pattern, kind] of patterns) {
    const at = lastIndexOf(recent, pattern);
    if (at >= 0 && (!found || at > found.at)) found = { at, kind };
  }
  return found?.kind;
}

function lastIndexOf(text: string, pattern: RegExp): number {
  const global = new RegExp(pattern.source, 'g');
  let last = -1;
  for (const m of text.matchAll(global)) last = m.index;
  return last;
}
