import type { Engine } from '../engine';
import { RES_DAY, RES_HOUR, RES_MINUTE } from './metric-event';
import { coverRange, type TimeRange } from './query-rollups';

type Bounds = { first: number; last: number };

/**
 * The first and last minute with events of each dim within a range. Each bound is a few
 * primary-key lookups: the day or hour rollups find the first (last) bucket with events, then the
 * finer rollups the minute within it — never a scan of every minute row of the range, which grows with
 * the traffic (a month of busy minutes is millions of rows).
 */
export function activityBounds(engine: Engine, series: string[], dims: string[], range: TimeRange): Map<string, Bounds> {
  engine.metrics.flush();
  const out = new Map<string, Bounds>();
  const parts = coverRange(range).sort((a, b) => a.from - b.from);
  const edge = (agg: 'min' | 'max') =>
    engine.db.$client.prepare(`SELECT ${agg}(bucket) AS b FROM metric_rollups WHERE series = ? AND dim = ? AND res = ? AND bucket >= ? AND bucket < ? AND count > 0`);
  const lookups = { min: edge('min'), max: edge('max') };
  // From a day (or hour) bucket with events down to its first (last) minute with events.
  const narrow = (s: string, dim: string, agg: 'min' | 'max', res: number, b: number): number => {
    const finer = res === RES_DAY ? RES_HOUR : res === RES_HOUR ? RES_MINUTE : null;
    if (finer === null) return b;
    const inner = (lookups[agg].get(s, dim, finer, b, b + res) as { b: number | null }).b;
    return inner === null ? b : narrow(s, dim, agg, finer, inner);
  };
  const find = (s: string, dim: string, agg: 'min' | 'max'): number | null => {
    const stmt = lookups[agg];
    for (const p of agg === 'min' ? parts : [...parts].reverse()) {
      const b = (stmt.get(s, dim, p.res, p.from, p.to) as { b: number | null }).b;
      if (b === null) continue;
      return narrow(s, dim, agg, p.res, b);
    }
    return null;
  };
  for (const dim of dims) {
    let first: number | null = null;
    let last: number | null = null;
    for (const s of series) {
      const f = find(s, dim, 'min');
      if (f === null) continue;
      const l = find(s, dim, 'max')!;
      first = first === null ? f : Math.min(first, f);
      last = last === null ? l : Math.max(last, l);
    }
    if (first !== null && last !== null) out.set(dim, { first, last });
  }
  return out;
}
