/** Run at most `n` of the given tasks at once (the mirror's blob downloads). */
export function createLimiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    active--;
    queue.shift()?.();
  };
  return (task) =>
    new Promise((resolve, reject) => {
      const start = () => {
        active++;
        task().then(resolve, reject).finally(release);
      };
      if (active < n) start();
      else queue.push(start);
    });
}

/** TORSH_MIRROR_CONCURRENCY: blobs a mirror downloads at once (default 4). */
export function mirrorConcurrencyFromEnv(env: Record<string, string | undefined> = process.env): number {
  const raw = env.TORSH_MIRROR_CONCURRENCY;
  if (raw === undefined || raw === '') return 4;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error('TORSH_MIRROR_CONCURRENCY must be a whole number 1–64');
  return n;
}
