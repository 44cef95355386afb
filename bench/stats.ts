// Small summary statistics for benchmark samples.
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function summarize(samples: readonly number[]): { n: number; min: number; p50: number; p95: number; max: number } {
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return { n: samples.length, min: round(Math.min(...samples)), p50: round(percentile(samples, 50)), p95: round(percentile(samples, 95)), max: round(Math.max(...samples)) };
}
