// Retry delays for the work queue, client-go style: the larger of a per-key exponential
// back-off (a failing key waits longer each time, other keys are unaffected) and a global token
// bucket (a storm of failures cannot flood the API server). Pure apart from the injected clock.

export type RateLimiter = {
  /** Delay before `key` may be retried; records one more failure. */
  when(key: string): number;
  /** Clears the key's failure count (after a success). */
  forget(key: string): void;
  retries(key: string): number;
};

export type RateLimiterOptions = {
  /** First per-key delay; doubles per failure. Default 5 ms. */
  readonly baseDelayMs?: number;
  /** Per-key cap. Default 5 min (client-go uses 1000 s; a database operator should look sooner). */
  readonly maxDelayMs?: number;
  /** Global refill rate, retries per second. Default 10. */
  readonly qps?: number;
  /** Global bucket size. Default 100. */
  readonly burst?: number;
  readonly now?: () => number;
};

export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const base = options.baseDelayMs ?? 5;
  const max = options.maxDelayMs ?? 300_000;
  const qps = options.qps ?? 10;
  const burst = options.burst ?? 100;
  const now = options.now ?? Date.now;
  const failures = new Map<string, number>();
  let tokens = burst;
  let last = now();

  // Reserves one token; a negative balance is a queue of reservations, each 1/qps apart.
  function bucketDelay(): number {
    const t = now();
    tokens = Math.min(burst, tokens + ((t - last) / 1000) * qps);
    last = t;
    tokens -= 1;
    return tokens >= 0 ? 0 : Math.ceil((-tokens / qps) * 1000);
  }

  return {
    when(key: string): number {
      const n = failures.get(key) ?? 0;
      failures.set(key, n + 1);
      const perKey = Math.min(max, base * 2 ** Math.min(n, 52));
      return Math.max(perKey, bucketDelay());
    },
    forget: (key) => { failures.delete(key); },
    retries: (key) => failures.get(key) ?? 0,
  };
}
