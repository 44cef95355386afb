import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { createEventChannel, type EventChannel } from './event-channel.ts';
import { kubeApiErrorFromStatus } from './kube-api-error.ts';
import { createListWatch, watchBackoffMs, type ListWatchSource, type WatchEvent } from './list-watch.ts';
import type { ListResult } from './port.ts';

type Cm = V1ConfigMap;
const cm = (name: string, rv: string): Cm => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns', resourceVersion: rv } });

// setImmediate is not mocked: it lets the loop's promises run between steps.
const flush = async (): Promise<void> => { for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r)); };

function fakeSource() {
  const lists: (ListResult<Cm> | Error)[] = [];
  const watches: { resourceVersion: string; timeoutSeconds: number; channel: EventChannel<WatchEvent<Cm>> }[] = [];
  const source: ListWatchSource<Cm> = {
    list: () => {
      const next = lists.shift() ?? { items: [], resourceVersion: '1' };
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
    watch: (params) => {
      const channel = createEventChannel<WatchEvent<Cm>>();
      watches.push({ ...params, channel });
      return { events: channel, close: () => channel.end() };
    },
  };
  const sink = { replaced: [] as string[][], applied: [] as string[] };
  const sinkImpl = {
    replace: (items: readonly Cm[], rv: string) => { sink.replaced.push([rv, ...items.map((i) => i.metadata?.name ?? '')]); },
    apply: (type: string, o: Cm) => { sink.applied.push(`${type} ${o.metadata?.name ?? ''}@${o.metadata?.resourceVersion ?? ''}`); },
  };
  const last = () => {
    const w = watches.at(-1);
    assert.ok(w, 'a watch is open');
    return w;
  };
  return { lists, watches, source, sink, sinkImpl, last };
}

describe('list-watch loop', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'] }));
  afterEach(() => mock.timers.reset());

  it('lists, then watches from the list version with a jittered timeout, applying events and bookmarks', async () => {
    const f = fakeSource();
    f.lists.push({ items: [cm('a', '5')], resourceVersion: '10' });
    const lw = createListWatch({ source: f.source, sink: f.sinkImpl, random: () => 0.5 });
    lw.start();
    await flush();
    assert.deepEqual(f.sink.replaced, [['10', 'a']]);
    assert.equal(lw.synced, true);
    assert.deepEqual({ rv: f.last().resourceVersion, t: f.last().timeoutSeconds }, { rv: '10', t: 300 });
    f.last().channel.push({ type: 'ADDED', object: cm('b', '11') });
    f.last().channel.push({ type: 'BOOKMARK', resourceVersion: '15' });
    await flush();
    assert.deepEqual(f.sink.applied, ['ADDED b@11']);
    assert.equal(lw.resourceVersion, '15');
    f.last().channel.end(); // the server closed the watch at its timeout
    await flush();
    assert.equal(f.watches.length, 2, 'reconnected at once');
    assert.equal(f.last().resourceVersion, '15', 'from the bookmark, without a relist');
    assert.equal(lw.lists, 1);
    await lw.stop();
  });

  it('relists at once when the watch answers 410 Gone, by ERROR event or by HTTP status', async () => {
    const f = fakeSource();
    f.lists.push({ items: [cm('a', '1')], resourceVersion: '1' }, { items: [cm('b', '30')], resourceVersion: '30' }, { items: [], resourceVersion: '40' });
    const lw = createListWatch({ source: f.source, sink: f.sinkImpl, random: () => 0 });
    lw.start();
    await flush();
    f.last().channel.push({ type: 'ERROR', status: 410, reason: 'Expired' });
    await flush();
    assert.deepEqual(f.sink.replaced, [['1', 'a'], ['30', 'b']]);
    f.last().channel.end(kubeApiErrorFromStatus('watch', 'configmaps', 410, { reason: 'Gone' }));
    await flush();
    assert.deepEqual(f.sink.replaced.at(-1), ['40'], 'no back-off timer was needed');
    await lw.stop();
  });

  it('after any other error waits a jittered exponential back-off, then relists', async () => {
    const f = fakeSource();
    f.lists.push({ items: [], resourceVersion: '1' }, new Error('connect ECONNREFUSED'), { items: [cm('c', '9')], resourceVersion: '9' });
    const errors: number[] = [];
    const lw = createListWatch({ source: f.source, sink: f.sinkImpl, random: () => 1, backoff: { initialMs: 100, maxMs: 1000 }, observer: { onError: (_e, ms) => errors.push(ms) } });
    lw.start();
    await flush();
    f.last().channel.end(new Error('socket hang up'));
    await flush();
    assert.deepEqual(errors, [100]);
    mock.timers.tick(100);
    await flush();
    assert.deepEqual(errors, [100, 200], 'the relist failed too: the delay doubles');
    mock.timers.tick(199);
    await flush();
    assert.equal(f.sink.replaced.length, 1);
    mock.timers.tick(1);
    await flush();
    assert.deepEqual(f.sink.replaced.at(-1), ['9', 'c']);
    assert.equal(f.last().resourceVersion, '9');
    await lw.stop();
  });

  it('reconnects from the last version, without relisting, when no event arrives within the idle timeout', async () => {
    const f = fakeSource();
    const lw = createListWatch({ source: f.source, sink: f.sinkImpl, idleTimeoutMs: 1000 });
    lw.start();
    await flush();
    f.last().channel.push({ type: 'MODIFIED', object: cm('a', '7') });
    await flush();
    mock.timers.tick(999);
    await flush();
    assert.equal(f.watches.length, 1, 'the event re-armed the idle timer');
    mock.timers.tick(1);
    await flush();
    assert.equal(f.watches.length, 2);
    assert.equal(f.last().resourceVersion, '7');
    assert.equal(lw.lists, 1);
    await lw.stop();
  });

  it('stops promptly while waiting out a back-off', async () => {
    const f = fakeSource();
    f.lists.push(new Error('503'));
    const lw = createListWatch({ source: f.source, sink: f.sinkImpl, backoff: { initialMs: 60_000, maxMs: 60_000 } });
    lw.start();
    await flush();
    await lw.stop();
    assert.equal(lw.synced, false);
  });

  it('computes back-off from the failure count, capped, with jitter between half and all of it', () => {
    const b = { initialMs: 500, maxMs: 30_000 };
    assert.deepEqual([1, 2, 3, 7, 20].map((n) => watchBackoffMs(n, b, 1)), [500, 1000, 2000, 30_000, 30_000]);
    assert.equal(watchBackoffMs(3, b, 0), 1000);
  });
});
