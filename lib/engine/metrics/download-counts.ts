import { sql, type SQL } from 'drizzle-orm';
import type { Engine } from '../engine';
import { RES_TOTAL, SERIES } from './metric-event';

/**
 * Full (200) downloads (or bytes served) of a package or version for all time, as a SQL expression over the
 * metrics store's all-time rollup ('p:<id>' or 'v:<id>'), for queries that list many rows.
 */
export function fullDownloadsSql(prefix: 'p' | 'v', idColumn: string, figure: 'ok' | 'bytes' = 'ok'): SQL {
  return sql.raw(
    `coalesce((SELECT r.${figure} FROM metric_rollups r WHERE r.series = '${SERIES.download}' AND r.dim = '${prefix}:' || ${idColumn} AND r.res = ${RES_TOTAL} AND r.bucket = 0), 0)`,
  );
}

/** All-time full downloads and bytes served per dim (queued events included). */
export function downloadTotals(engine: Engine, dims: string[]): Map<string, { downloads: number; bytes: number }> {
  const out = new Map<string, { downloads: number; bytes: number }>();
  if (dims.length === 0) return out;
  const rows = engine.db.$client
    .prepare(`SELECT dim, ok, bytes FROM metric_rollups WHERE series = ? AND res = ${RES_TOTAL} AND bucket = 0 AND dim IN (SELECT value FROM json_each(?))`)
    .all(SERIES.download, JSON.stringify(dims)) as { dim: string; ok: number; bytes: number }[];
  const stored = new Map(rows.map((r) => [r.dim, r]));
  for (const dim of dims) {
    const s = stored.get(dim);
    const p = engine.metrics.pending(SERIES.download, dim);
    out.set(dim, { downloads: (s?.ok ?? 0) + p.ok, bytes: (s?.bytes ?? 0) + p.bytes });
  }
  return out;
}
