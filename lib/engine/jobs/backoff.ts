/** Retry delays: exponential in the attempt number, capped, with jitter so retries spread out. */
export type BackoffOptions = {
  baseMs: number;
  capMs: number;
  /**
   * 'equal': half the exponential delay plus a random part of the other half (never sooner than
   * half, so delays still grow); 'full': anywhere from 0 to the exponential delay.
   */
  jitter: 'equal' | 'full';
  /** In [0, 1); injectable so tests can pin the jitter. */
  random: () => number;
};

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, capMs: 3_600_000, jitter: 'equal', random: Math.random };

/** The delay before retrying after `attempt` (1-based) failed attempts. */
export function backoffMs(attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF): number {
  const exp = Math.min(opts.capMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  const r = Math.min(Math.max(opts.random(), 0), 1);
  return Math.round(opts.jitter === 'full' ? exp * r : exp / 2 + (exp / 2) * r);
}
