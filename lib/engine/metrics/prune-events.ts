import type { Engine } from '../engine';

const DAY_MS = 86_400_000;
const CHUNK = 50_000;

/** How long raw metric events are kept (TORSH_METRICS_RAW_RETENTION_DAYS, default 30); rollups stay. */
export function rawRetentionMs(env: NodeJS.ProcessEnv = process.env): number {
  const days = Number(env.TORSH_METRICS_RAW_RETENTION_DAYS ?? 30);
  return (Number.isFinite(days) && days > 0 ? days : 30) * DAY_MS;
}

/**
 * Delete raw events older than the retention, in chunks so writers are never blocked long.
 * Rollups are untouched: every figure stays answerable after its events are gone.
 */
export function pruneMetricEvents(engine: Engine, retentionMs = rawRetentionMs()): number {
  engine.metrics.flush();
  const cutoff = engine.now() - retentionMs;
  const del = engine.db.$client.prepare('DELETE FROM metric_events WHERE id IN (SELECT id FROM metric_events WHERE at < ? LIMIT ?)');
  let removed = 0;
  for (;;) {
    const n = del.run(cutoff, CHUNK).changes;
    removed += n;
    if (n < CHUNK) return removed;
  }
}
