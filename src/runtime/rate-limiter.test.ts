import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRateLimiter } from './rate-limiter.ts';

describe('rate limiter', () => {
  it('doubles the per-key delay from 5 ms up to the cap, independently per key', () => {
    const limiter = createRateLimiter({ maxDelayMs: 100, burst: 1000, now: () => 0 });
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map(() => limiter.when('a')), [5, 10, 20, 40, 80, 100, 100]);
    assert.equal(limiter.when('b'), 5, 'another key starts from the base');
    limiter.forget('a');
    assert.equal(limiter.when('a'), 5, 'forget resets the key');
  });

  it('spaces retries by the global bucket once the burst is spent', () => {
    let t = 0;
    const limiter = createRateLimiter({ qps: 10, burst: 2, now: () => t });
    assert.equal(limiter.when('k1'), 5);
    assert.equal(limiter.when('k2'), 5);
    assert.equal(limiter.when('k3'), 100, 'the third in the same instant waits one token (100 ms at 10 qps)');
    assert.equal(limiter.when('k4'), 200, 'reservations queue up');
    t = 1000;
    assert.equal(limiter.when('k5'), 5, 'tokens refill with time');
  });
});
