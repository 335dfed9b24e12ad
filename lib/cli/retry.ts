import { HttpError, NetworkError } from './exit-codes';

function gaveUp(err: unknown, attempts: number): unknown {
  const note = ` (gave up after ${attempts} attempts)`;
  if (err instanceof HttpError) return new HttpError(err.status, err.message + note, err.code);
  if (err instanceof NetworkError) return new NetworkError(err.message + note, err.code);
  return err;
}

export const BACKOFF_BASE_MS = 250;
export const BACKOFF_CAP_MS = 10_000;

/** Exponential backoff with full jitter: a random delay in [0, min(cap, base · 2^attempt)). */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt));
}

/** Network errors and 5xx are worth another try; 4xx (the request itself is wrong) are not. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof NetworkError) return true;
  return err instanceof HttpError && err.status >= 500;
}

export type RetryOptions = {
  retries: number;
  /** Called before each wait, e.g. to tell the user. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  /** True when the failed attempt made progress (a resumed download): the retry budget starts over. */
  madeProgress?: () => boolean;
  /** Which errors are worth another try (default isRetryable). */
  retryable?: (err: unknown) => boolean;
  /** The wait before retry n (1-based; default backoffDelay). */
  delay?: (retry: number) => number;
};

/** Runs `fn` until it succeeds, a non-retryable error is thrown, or the retries are spent. */
export async function withRetries<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  let failures = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!(opts.retryable ?? isRetryable)(err)) throw err;
      failures = opts.madeProgress?.() ? 1 : failures + 1;
      if (failures > opts.retries) throw attempt > 0 ? gaveUp(err, attempt + 1) : err;
      const delay = opts.delay ? opts.delay(failures) : backoffDelay(failures - 1);
      opts.onRetry?.(err, failures, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
