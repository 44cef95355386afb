import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { createRateLimiter } from './rate-limiter.ts';
import { createWorkQueue } from './work-queue.ts';

// Lets promise callbacks run after a mocked timer fired.
const settle = async (): Promise<void> => { for (let i = 0; i < 5; i++) await Promise.resolve(); };

describe('work queue', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  it('hands out a key added several times while waiting only once', async () => {
    const q = createWorkQueue();
    q.add('ns/a');
    q.add('ns/a');
    q.add('ns/b');
    assert.equal(q.length, 2);
    assert.equal(await q.get(), 'ns/a');
    assert.equal(await q.get(), 'ns/b');
    assert.equal(q.length, 0);
  });

  it('never hands out a key being processed; a re-add during processing runs after done', async () => {
    const q = createWorkQueue();
    q.add('ns/a');
    assert.equal(await q.get(), 'ns/a');
    q.add('ns/a');
    q.add('ns/a');
    assert.equal(q.length, 0, 'the re-add waits for done');
    let next: string | undefined;
    void q.get().then((k) => { next = k; });
    await settle();
    assert.equal(next, undefined, 'a second worker does not get the key in progress');
    q.done('ns/a');
    await settle();
    assert.equal(next, 'ns/a', 'runs once more after done');
  });

  it('wakes a waiting worker when a key arrives', async () => {
    const q = createWorkQueue();
    const got = q.get();
    q.add('ns/x');
    assert.equal(await got, 'ns/x');
  });

  it('adds after the delay, keeping the earliest of several delayed adds', async () => {
    const q = createWorkQueue();
    q.addAfter('ns/a', 1000);
    q.addAfter('ns/a', 500);
    q.addAfter('ns/a', 2000);
    mock.timers.tick(499);
    assert.equal(q.length, 0);
    mock.timers.tick(1);
    assert.equal(q.length, 1);
    assert.equal(await q.get(), 'ns/a');
    q.done('ns/a');
    mock.timers.tick(2000);
    assert.equal(q.length, 0, 'the later timers were cancelled');
  });

  it('backs off a failing key exponentially from 5 ms and forgets on success', async () => {
    const q = createWorkQueue({ rateLimiter: createRateLimiter({ burst: 1000 }) });
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const before = q.length;
      q.addRateLimited('ns/a');
      let waited = 0;
      while (q.length === before && waited < 1000) { mock.timers.tick(1); waited++; }
      delays.push(waited);
      q.done((await q.get()) ?? '');
    }
    assert.deepEqual(delays, [5, 10, 20, 40]);
    assert.equal(q.retries('ns/a'), 4);
    q.forget('ns/a');
    assert.equal(q.retries('ns/a'), 0);
  });

  it('after shutdown hands out nothing and drain waits for keys in progress', async () => {
    const q = createWorkQueue();
    q.add('ns/a');
    q.add('ns/b');
    const a = await q.get();
    const b = q.get();
    const blocked = q.get();
    q.shutDown();
    assert.equal(await b, 'ns/b');
    assert.equal(await blocked, undefined, 'a waiting worker is released');
    assert.equal(await q.get(), undefined);
    let drained = false;
    void q.drain().then(() => { drained = true; });
    q.done(a ?? '');
    await settle();
    assert.equal(drained, false, 'ns/b is still in progress');
    q.done('ns/b');
    await settle();
    assert.equal(drained, true);
    q.add('ns/c');
    assert.equal(q.length, 0, 'adds after shutdown are ignored');
  });

  it('reports depth, adds, queue latency and work duration to its metrics hooks', async () => {
    const seen = { added: 0, depth: [] as number[], queued: [] as number[], worked: [] as number[], retried: 0 };
    const q = createWorkQueue({ metrics: {
      added: () => { seen.added++; }, depth: (n) => seen.depth.push(n), queued: (s) => seen.queued.push(s),
      worked: (s) => seen.worked.push(s), retried: () => { seen.retried++; },
    } });
    q.add('ns/a');
    mock.timers.tick(250);
    const key = await q.get();
    mock.timers.tick(1500);
    assert.deepEqual(q.runningSeconds(), [1.5]);
    q.done(key ?? '');
    assert.equal(seen.added, 1);
    assert.deepEqual(seen.queued, [0.25]);
    assert.deepEqual(seen.worked, [1.5]);
    assert.deepEqual(seen.depth, [1, 0]);
  });
});
