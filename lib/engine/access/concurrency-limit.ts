export type ConcurrencyLimit = {
  /** Run `task` once fewer than `concurrency` tasks run; throws `whenFull()` when `maxQueued` already wait. */
  run<T>(task: () => Promise<T>): Promise<T>;
};

/** A counting semaphore with a bounded FIFO queue. */
export function createConcurrencyLimit(opts: { concurrency: number; maxQueued: number; whenFull: () => Error }): ConcurrencyLimit {
  let active = 0;
  const waiting: (() => void)[] = [];

  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };

  return {
    async run(task) {
      if (active < opts.concurrency) active++;
      else if (waiting.length >= opts.maxQueued) throw opts.whenFull();
      // The slot is handed over by release(), so `active` stays counted while it waits here.
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
