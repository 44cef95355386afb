// A push-to-pull bridge: callbacks push values, one consumer reads them with `for await`.
// The watch transport turns client-node's callbacks into a stream with it; tests feed the
// watch loop through it as a fake stream.

export type EventChannel<T> = AsyncIterable<T> & {
  push(value: T): void;
  /** Ends the stream; with an error, the consumer's loop throws it after the buffered values. */
  end(error?: unknown): void;
  readonly ended: boolean;
};

type Waiter<T> = { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void };

export function createEventChannel<T>(): EventChannel<T> {
  const buffer: T[] = [];
  let waiter: Waiter<T> | undefined;
  let ended = false;
  let failure: { error: unknown } | undefined;

  function settleWaiter(): void {
    if (waiter === undefined) return;
    const w = waiter;
    const next = buffer.shift();
    if (next !== undefined) {
      waiter = undefined;
      w.resolve({ value: next, done: false });
    } else if (ended) {
      waiter = undefined;
      if (failure) w.reject(failure.error);
      else w.resolve({ value: undefined, done: true });
    }
  }

  const next = (): Promise<IteratorResult<T>> => new Promise((resolve, reject) => {
    waiter = { resolve, reject };
    settleWaiter();
  });

  return {
    push(value: T): void {
      if (ended) return;
      buffer.push(value);
      settleWaiter();
    },
    end(error?: unknown): void {
      if (ended) return;
      ended = true;
      if (error !== undefined) failure = { error };
      settleWaiter();
    },
    get ended() { return ended; },
    [Symbol.asyncIterator]: () => ({
      next,
      return: (): Promise<IteratorResult<T>> => {
        ended = true;
        buffer.length = 0;
        return Promise.resolve({ value: undefined, done: true });
      },
    }),
  };
}
