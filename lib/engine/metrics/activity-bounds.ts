import type { Engine } from '../engine';
import { RES_MINUTE } from './metric-event';
import type { TimeRange } from './query-rollups';

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
