import { AppError } from '../errors';
import { RES_MINUTE } from './metric-event';
import { stepFor, type TimeRange } from './query-rollups';

export const DAY_MS = 86_400_000;
/** The longest range a dashboard query may cover. */
export const MAX_RANGE_MS = 400 * DAY_MS;
/** The most points one series answer may hold. */
export const MAX_POINTS = 2_000;

/** A checked range: from < to, at most MAX_RANGE_MS; missing bounds default to the last 24 h before `now`. */
export function resolveRange(now: number, q: { from?: number; to?: number }): TimeRange {
  const to = q.to ?? now;
  const from = q.from ?? to - DAY_MS;
  if (!(from < to)) throw new AppError('INVALID_INPUT', '`from` must be before `to` (both in ms since the epoch)');
  if (to - from > MAX_RANGE_MS) throw new AppError('INVALID_INPUT', `a range may cover at most ${MAX_RANGE_MS / DAY_MS} days`);
  return { from, to };
}

/** The step of a series answer: the one asked for (whole minutes, at most MAX_POINTS points) or an automatic one. */
export function resolveStep(range: TimeRange, step?: number): number {
  if (step === undefined) return stepFor(range);
  if (step % RES_MINUTE !== 0) throw new AppError('INVALID_INPUT', '`step` must be a whole number of minutes, in ms (60000, 300000…)');
  if ((range.to - range.from) / step > MAX_POINTS) throw new AppError('INVALID_INPUT', `this step gives more than ${MAX_POINTS} points; choose a longer step or a shorter range`);
  return step;
}

/** The period of the same length just before a range (what "change" compares against). */
export function previousRange(range: TimeRange): TimeRange {
  return { from: range.from - (range.to - range.from), to: range.from };
}
