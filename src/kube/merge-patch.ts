// JSON merge patch (RFC 7386) between two JSON values: the smallest patch that turns `from`
// into `to`. Status writes use it so that keys removed from the desired status are removed on
// the server too (a plain merge patch of the new status would keep them).

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Deep equality over JSON-serialisable values (Dates compare by their JSON form). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}

// Key order must not matter, and undefined members are absent in JSON.
function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toJSON();
  if (Array.isArray(value)) return value.map(normalise);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) if (value[key] !== undefined) out[key] = normalise(value[key]);
  return out;
}

/** The merge patch from `from` to `to`; `undefined` when they are equal. */
export function createMergePatch(from: unknown, to: unknown): Json | undefined {
  if (jsonEqual(from, to)) return undefined;
  if (!isPlainObject(from) || !isPlainObject(to)) return (to === undefined ? null : normalise(to)) as Json;
  const patch: Record<string, Json> = {};
  for (const key of Object.keys(from)) {
    if (from[key] !== undefined && to[key] === undefined) patch[key] = null;
  }
  for (const key of Object.keys(to)) {
    if (to[key] === undefined) continue;
    const sub = createMergePatch(from[key], to[key]);
    if (sub !== undefined) patch[key] = sub;
  }
  return patch;
}
