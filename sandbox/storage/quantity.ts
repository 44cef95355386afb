// Storage quantities (pure): Kubernetes resource.Quantity text ↔ bytes, for sizes only.
const binary: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Readonly<Record<string, number>> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, m: 1e-3 };

/** Bytes in a quantity such as `10Gi`, `500M`, `1.5Gi`, `1e9`; undefined when it is not one. Rounds up, as Kubernetes does. */
export function parseQuantityBytes(text: string): number | undefined {
  const match = /^([+]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?)$/.exec(text.trim());
  if (match === null) return undefined;
  const value = Number(match[1]);
  const scale = match[2] !== undefined ? 10 ** Number(match[2].slice(1)) : binary[match[3] ?? ''] ?? decimal[match[3] ?? ''] ?? 1;
  const bytes = Math.ceil(value * scale);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** Bytes as a quantity: the largest binary suffix that divides evenly, else plain bytes. */
export function formatBytes(bytes: number): string {
  for (const suffix of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'] as const) {
    const unit = binary[suffix] ?? 1;
    if (bytes >= unit && bytes % unit === 0) return `${bytes / unit}${suffix}`;
  }
  return String(bytes);
}
