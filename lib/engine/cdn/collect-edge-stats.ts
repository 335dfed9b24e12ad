import { and, eq } from 'drizzle-orm';
import { edges, type EdgeRow } from '@/db/schema';
import type { Engine } from '../engine';
import { SERIES } from '../metrics/metric-event';
import { fetchEdgeStats } from './edge-client';
import type { EdgeState } from './edge-view';
import { parseSnapshot, snapshotOf, statsDelta, type EdgeCounter } from './stats-delta';

/** Collections failed in a row before an edge is unhealthy (one failure: degraded). */
export const EDGE_UNHEALTHY_AFTER = 2;

/** The metrics-store series of each counter. */
export const COUNTER_SERIES: Record<EdgeCounter, string> = {
  requests: SERIES.edgeRequests,
  hits: SERIES.edgeHits,
  misses: SERIES.edgeMisses,
  bytes_from_cache: SERIES.edgeBytesCache,
  bytes_from_origin: SERIES.edgeBytesOrigin,
  evictions: SERIES.edgeEvictions,
};

const BYTE_COUNTERS: ReadonlySet<EdgeCounter> = new Set(['bytes_from_cache', 'bytes_from_origin']);

export type EdgeCollection = { id: number; ok: boolean; state: EdgeState; restarted?: boolean; error?: string };

export function stateAfterFailures(failures: number): EdgeState {
  if (failures <= 0) return 'healthy';
  return failures >= EDGE_UNHEALTHY_AFTER ? 'unhealthy' : 'degraded';
}

async function collectOne(engine: Engine, row: EdgeRow, signal?: AbortSignal): Promise<EdgeCollection> {
  // Updates name the URL read here: an edge moved to another URL meanwhile keeps its new baseline.
  const same = and(eq(edges.id, row.id), eq(edges.url, row.url));
  try {
    const stats = await fetchEdgeStats(row.url, signal);
    const now = engine.now();
    const next = snapshotOf(stats);
    const delta = statsDelta(parseSnapshot(row.lastStats), next);
    if (delta) {
      const dims = [`e:${row.id}`];
      for (const [counter, series] of Object.entries(COUNTER_SERIES) as [EdgeCounter, string][]) {
        const value = delta.deltas[counter];
        engine.metrics.add({ series, at: now, value, bytes: BYTE_COUNTERS.has(counter) ? value : undefined, ok: true, error: false, dims });
      }
    }
    engine.db
      .update(edges)
      .set({ state: 'healthy', failures: 0, lastCheckAt: now, lastError: null, lastStats: JSON.stringify(next) })
      .where(same)
      .run();
    return { id: row.id, ok: true, state: 'healthy', restarted: delta?.restarted ?? false };
  } catch (err) {
    const failures = row.failures + 1;
    const state = stateAfterFailures(failures);
    const error = (err as Error).message;
    engine.db.update(edges).set({ state, failures, lastCheckAt: engine.now(), lastError: error }).where(same).run();
    return { id: row.id, ok: false, state, error };
  }
}

/**
 * One collection (the `cdn.collect` job): read every edge's counters at once, record what they
 * grew by since the last reading into the metrics store (series edge.*, dim e:<id>), and set
 * each edge's state from its run of failures.
 */
export async function collectEdgeStats(engine: Engine, signal?: AbortSignal): Promise<EdgeCollection[]> {
  const rows = engine.db.select().from(edges).all();
  const results = await Promise.all(rows.map((r) => collectOne(engine, r, signal)));
  engine.metrics.flush();
  return results;
}
