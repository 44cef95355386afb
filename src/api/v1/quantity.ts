// Kubernetes resource quantities (the grammar of k8s.io/apimachinery resource.Quantity), parsed
// exactly so that in-process checks agree with the apiserver's CEL `quantity()` comparisons.
// Only non-negative values: a size or a CPU amount below zero means nothing in this API.

/** Grammar shared by the CRD schema and the in-process validator. */
export const QUANTITY_PATTERN = '^\\+?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$';

const quantityRegExp = new RegExp(QUANTITY_PATTERN);

// Exponents beyond this are refused rather than expanded: no resource in this API needs them, and
// 10^huge as a bigint would be a denial of service on a hostile spec.
const MAX_EXPONENT = 64;

const binarySuffixes: Readonly<Record<string, number>> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const decimalSuffixes: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** An exact value: digits × 10^exp10 × 1024^pow1024. */
export type Quantity = { readonly digits: bigint; readonly exp10: number; readonly pow1024: number };

/** Parses a quantity written as a string or, as YAML allows, a bare integer; undefined when malformed. */
export function parseQuantity(value: string | number): Quantity | undefined {
  const text = typeof value === 'number' ? (Number.isSafeInteger(value) && value >= 0 ? String(value) : '') : value;
  const match = quantityRegExp.exec(text);
  if (match === null) return undefined;
  const number = (match[1] ?? '').replace(/^\+/, '');
  const suffix = match[3] ?? '';
  const [whole = '', fraction = ''] = number.split('.');
  const digits = BigInt(`${whole}${fraction}` || '0');
  const scale = scaleOf(suffix);
  if (scale === undefined) return undefined;
  const exp10 = scale.exp10 - fraction.length;
  return { digits, exp10, pow1024: scale.pow1024 };
}

function scaleOf(suffix: string): { exp10: number; pow1024: number } | undefined {
  const binary = binarySuffixes[suffix];
  if (binary !== undefined) return { exp10: 0, pow1024: binary };
  const decimal = decimalSuffixes[suffix];
  if (decimal !== undefined) return { exp10: decimal, pow1024: 0 };
  const exponent = Number(suffix.slice(1));
  return Math.abs(exponent) > MAX_EXPONENT ? undefined : { exp10: exponent, pow1024: 0 };
}

export function isQuantity(value: string | number): boolean {
  return parseQuantity(value) !== undefined;
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b` (exact, like CEL's compareTo). */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const commonExp = Math.min(a.exp10, b.exp10);
  const left = scaled(a, commonExp);
  const right = scaled(b, commonExp);
  return left < right ? -1 : left > right ? 1 : 0;
}

function scaled(q: Quantity, commonExp: number): bigint {
  return q.digits * 1024n ** BigInt(q.pow1024) * 10n ** BigInt(q.exp10 - commonExp);
}

/** Compares two quantities given as text; undefined when either is malformed. */
export function compareQuantityText(a: string | number, b: string | number): -1 | 0 | 1 | undefined {
  const left = parseQuantity(a);
  const right = parseQuantity(b);
  return left === undefined || right === undefined ? undefined : compareQuantities(left, right);
}
