import type { Engine } from '../engine';
import { RES_MINUTE } from './metric-event';
import { coverRange, type DimTotal, type TimeRange } from './query-rollups';

/** Totals of the given dims of a series over a range (dims without events are absent), from rollups. */
export function dimTotals(engine: Engine, series: string, dims: string[], range: TimeRange): Map<string, DimTotal> {
  engine.metrics.flush();
  const out = new Map<string, DimTotal>();
  if (dims.length === 0) return out;
  const stmt = engine.db.$client.prepare(
    `SELECT dim, sum(count) AS count, sum(ok) AS ok, sum(errors) AS errors, sum(bytes) AS bytes, sum(vsum) AS sum
     FROM metric_rollups WHERE series = ? AND res = ? AND bucket >= ? AND bucket < ? AND dim IN (SELECT value FROM json_each(?)) GROUP BY dim`,
  );
  const list = JSON.stringify(dims);
  for (const p of coverRange(range)) {
    for (const r of stmt.all(series, p.res, p.from, p.to, list) as DimTotal[]) {
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

/** The first and last minute buckets with events of each dim within a range (minute rollups are kept with the hour ones). */
export function activityBounds(engine: Engine, series: string[], dims: string[], range: TimeRange): Map<string, { first: number; last: number }> {
  engine.metrics.flush();
  if (dims.length === 0) return new Map();
  const rows = engine.db.$client
    .prepare(
      `SELECT dim, min(bucket) AS first, max(bucket) AS last FROM metric_rollups
       WHERE series IN (SELECT value FROM json_each(?)) AND res = ? AND bucket >= ? AND bucket < ? AND count > 0
         AND dim IN (SELECT value FROM json_each(?)) GROUP BY dim`,
    )
    .all(JSON.stringify(series), RES_MINUTE, Math.floor(range.from / RES_MINUTE) * RES_MINUTE, range.to, JSON.stringify(dims)) as { dim: string; first: number; last: number }[];
  return new Map(rows.map((r) => [r.dim, { first: r.first, last: r.last }]));
}
