// gs_guc's value checks (opengauss.md §5.1): string parameters and enum values with a comma must be
// quoted inside the -c argument; numbers, booleans and simple enums go bare.
import type { GucInfo } from './guc-catalog.ts';

export type ValueCheck = { readonly ok: true } | { readonly ok: false; readonly message: string };

const boolValues = new Set(['true', 'false', 'on', 'off', 'yes', 'no', '0', '1']);
const integerPattern = /^[-+]?\d+\s*(kB|MB|GB|TB|ms|s|min|h|d)?$/;
const realPattern = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*(kB|MB|GB|TB|ms|s|min|h|d)?$/;

function isQuoted(raw: string): boolean {
  return raw.length >= 2 && ((raw.startsWith("'") && raw.endsWith("'")) || (raw.startsWith('"') && raw.endsWith('"')));
}

function typeError(raw: string, name: string, typeName: string): ValueCheck {
  return { ok: false, message: `ERROR: The value "${raw}" for parameter "${name}" is incorrect, requires a ${typeName} value` };
}

function quotingError(raw: string, name: string): ValueCheck {
  return { ok: false, message: `ERROR: The value "${raw}" for parameter "${name}" is incorrect. Please do it like this "parameter = 'value'".` };
}

export function unquoteGsGucValue(raw: string): string {
  return isQuoted(raw) ? raw.slice(1, -1) : raw;
}

export function checkGucValue(info: GucInfo, raw: string): ValueCheck {
  const bare = unquoteGsGucValue(raw);
  switch (info.type) {
    case 'string':
      return isQuoted(raw) ? { ok: true } : quotingError(raw, info.name);
    case 'bool':
      return boolValues.has(bare.toLowerCase()) ? { ok: true } : typeError(raw, info.name, 'boolean');
    case 'integer':
      return integerPattern.test(bare) ? { ok: true } : typeError(raw, info.name, 'integer');
    case 'real':
      return realPattern.test(bare) ? { ok: true } : typeError(raw, info.name, 'real');
    case 'enum':
      return checkEnum(info, raw, bare);
  }
}

function checkEnum(info: GucInfo, raw: string, bare: string): ValueCheck {
  const words = bare.split(',').map((w) => w.trim().toLowerCase());
  if (words.length > 1 && !isQuoted(raw)) return quotingError(raw, info.name);
  if (info.enumValues.length === 0) return { ok: true };
  const allowed = new Set(info.enumValues.map((v) => v.toLowerCase()));
  return words.every((w) => allowed.has(w)) ? { ok: true } : typeError(raw, info.name, 'enum');
}
