import type { Engine } from '../engine';
import { histogramTotal, percentiles } from './histogram';
import { RES_DAY, RES_HOUR, RES_MINUTE, RES_TOTAL } from './metric-event';
import { addStored, emptyAgg, type Agg, type StoredRollup } from './metrics-writer';

/** A range of time in ms since the epoch: [from, to). It covers every minute it overlaps. */
export type TimeRange = { from: number; to: number };

export type Summary = {
  count: number;
  ok: number;
  errors: number;
  bytes: number;
  sum: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
};

export type SeriesPoint = Summary & { t: number };

type RollupRow = StoredRollup & { bucket: number; dim: string };

export function summarize(a: Agg): Summary {
  const withValues = a.vmin !== null || histogramTotal(a.hist) > 0;
  const [p50, p95, p99] = percentiles(a.hist, [0.5, 0.95, 0.99], a.vmin, a.vmax);
  return {
    count: a.count,
    ok: a.ok,
    errors: a.errors,
    bytes: a.bytes,
    sum: a.vsum,
    min: a.vmin,
    max: a.vmax,
    mean: withValues && a.count > 0 ? a.vsum / a.count : null,
    p50,
    p95,
    p99,
  };
}

const floorTo = (t: number, res: number) => Math.floor(t / res) * res;
const ceilTo = (t: number, res: number) => Math.ceil(t / res) * res;

/**
 * The rollup pieces that cover a range exactly: whole hours from the hour rollups, the minutes
 * before the first and after the last whole hour from the minute rollups.
 */
export function coverRange(range: TimeRange): { res: number; from: number; to: number }[] {
  const from = floorTo(range.from, RES_MINUTE);
  const to = ceilTo(range.to, RES_MINUTE);
  if (to <= from) return [];
  return cover(from, to, [RES_DAY, RES_HOUR, RES_MINUTE]).sort((a, b) => a.from - b.from);
}

/** [from, to) (aligned to the finest resolution) as the coarsest whole buckets that fit, then finer at the edges. */
function cover(from: number, to: number, resolutions: number[]): { res: number; from: number; to: number }[] {
  const [res, ...finer] = resolutions;
  if (finer.length === 0) return [{ res, from, to }];
  const a = ceilTo(from, res);
  const b = floorTo(to, res);
  if (b <= a) return cover(from, to, finer);
  const parts = [{ res, from: a, to: b }];
  if (from < a) parts.push(...cover(from, a, finer));
  if (b < to) parts.push(...cover(b, to, finer));
  return parts;
}

/** The columns of a rollup row; without percentiles the histogram is neither read nor parsed. */
const columns = (percentiles: boolean) => `dim, bucket, count, ok, errors, bytes, vsum, vmin, vmax, ${percentiles ? 'hist' : 'NULL AS hist'}`;

function rowsFor(engine: Engine, series: string, dim: string, range: TimeRange, percentiles: boolean): RollupRow[] {
  const stmt = engine.db.$client.prepare(
    `SELECT ${columns(percentiles)} FROM metric_rollups WHERE series = ? AND res = ? AND dim = ? AND bucket >= ? AND bucket < ?`,
  );
  return coverRange(range).flatMap((p) => stmt.all(series, p.res, dim, p.from, p.to) as RollupRow[]);
}


/**
 * count, sum, min, max, mean and percentiles of one series (and dim) over a range, from rollups.
 * `percentiles: false` skips the histograms (p50/p95/p99 null) for callers that only count.
 */
export function summarizeRange(engine: Engine, q: { series: string; dim?: string; percentiles?: boolean } & TimeRange): Summary {
  engine.metrics.flush();
  const agg = emptyAgg();
  for (const r of rowsFor(engine, q.series, q.dim ?? '', q, q.percentiles ?? true)) addStored(agg, r);
  return summarize(agg);
}

/** A sensible step for a range: about 60–240 points, in whole minutes or hours. */
export function stepFor(range: TimeRange): number {
  const span = range.to - range.from;
  const steps = [1, 5, 15, 30].map((m) => m * RES_MINUTE).concat([1, 3, 6, 12, 24].map((h) => h * RES_HOUR));
  return steps.find((s) => span / s <= 240) ?? 24 * RES_HOUR;
}

/**
 * The series over a range in points of `step` ms (a whole number of minutes; hour-aligned steps
 * read the hour rollups). Every step in the range gets a point, empty ones with zero counts.
 */
export function seriesPoints(engine: Engine, q: { series: string; dim?: string; step?: number; percentiles?: boolean } & TimeRange): SeriesPoint[] {
  engine.metrics.flush();
  const step = Math.max(RES_MINUTE, floorTo(q.step ?? stepFor(q), RES_MINUTE));
  const from = floorTo(q.from, step);
  const to = ceilTo(q.to, RES_MINUTE);
  const res = step % RES_DAY === 0 ? RES_DAY : step % RES_HOUR === 0 ? RES_HOUR : RES_MINUTE;
  const rows = engine.db.$client
    .prepare(`SELECT ${columns(q.percentiles ?? true)} FROM metric_rollups WHERE series = ? AND res = ? AND dim = ? AND bucket >= ? AND bucket < ?`)
    .all(q.series, res, q.dim ?? '', from, to) as RollupRow[];
  const byStep = new Map<number, Agg>();
  for (const r of rows) {
    const t = floorTo(r.bucket, step);
    const agg = byStep.get(t) ?? emptyAgg();
    byStep.set(t, addStored(agg, r));
  }
  const points: SeriesPoint[] = [];
  const none = summarize(emptyAgg());
  for (let t = from; t < to; t += step) {
    const agg = byStep.get(t);
    points.push({ t, ...(agg ? summarize(agg) : none) });
  }
  return points;
}

export type DimTotal = { dim: string; count: number; ok: number; errors: number; bytes: number; sum: number };

type DimFilter = { prefix: string } | { dims: string[] };

/** The dims of a series that start with a prefix: the all-time rows, one per dim, contiguous in the key. */
function dimsWithPrefix(engine: Engine, series: string, prefix: string): string[] {
  const hi = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  return engine.db.$client
    .prepare(`SELECT dim FROM metric_rollups WHERE series = ? AND res = ${RES_TOTAL} AND dim >= ? AND dim < ?`)
    .pluck()
    .all(series, prefix, hi) as string[];
}

/**
 * Totals per dim of a series over a range, from the rollups that cover it: the listed dims, or
 * every dim starting with a prefix (listed from the all-time rows first). Each dim is then one
 * primary-key range per piece of the range (series, res, dim, bucket), rows stored in key order:
 * the cost follows the range and the number of dims, not the events behind them. Dims without
 * events in the range are absent.
 */
export function totalsByDim(engine: Engine, series: string, range: TimeRange, filter: DimFilter): Map<string, DimTotal> {
  engine.metrics.flush();
  const out = new Map<string, DimTotal>();
  const dims = 'prefix' in filter ? dimsWithPrefix(engine, series, filter.prefix) : filter.dims;
  if (dims.length === 0) return out;
  const stmt = engine.db.$client.prepare(
    `SELECT dim, sum(count) AS count, sum(ok) AS ok, sum(errors) AS errors, sum(bytes) AS bytes, sum(vsum) AS sum
     FROM metric_rollups WHERE series = ? AND res = ? AND dim IN (SELECT value FROM json_each(?)) AND bucket >= ? AND bucket < ? GROUP BY dim`,
  );
  const list = JSON.stringify(dims);
  for (const p of coverRange(range)) {
    for (const r of stmt.all(series, p.res, list, p.from, p.to) as DimTotal[]) {
      const t = out.get(r.dim) ?? { dim: r.dim, count: 0, ok: 0, errors: 0, bytes: 0, sum: 0 };
      t.count += r.count;
      t.ok += r.ok;
      t.errors += r.errors;
      t.bytes += r.bytes;
      t.sum += r.sum;
      out.set(r.dim, t);
    }
  }
  return out;
}

/** The dims of a series with a prefix ('p:', 'route:'…) ranked by a figure over a range. */
export function topDims(
  engine: Engine,
  q: { series: string; prefix: string; by: 'count' | 'ok' | 'bytes' | 'errors'; limit: number } & TimeRange,
): DimTotal[] {
  return [...totalsByDim(engine, q.series, q, { prefix: q.prefix }).values()]
    .filter((t) => t[q.by] > 0)
    .sort((a, b) => b[q.by] - a[q.by] || a.dim.localeCompare(b.dim))
    .slice(0, q.limit);
}
