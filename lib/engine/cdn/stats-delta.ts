import type { EdgeStats } from './edge-client';

export const EDGE_COUNTERS = ['requests', 'hits', 'misses', 'bytes_from_cache', 'bytes_from_origin', 'evictions'] as const;
export type EdgeCounter = (typeof EDGE_COUNTERS)[number];
export type EdgeCounters = Record<EdgeCounter, number>;

/** What is kept of an edge's answer between collections (edges.last_stats). */
export type EdgeSnapshot = EdgeCounters & { started_at: number | string | null };

export function snapshotOf(stats: EdgeStats): EdgeSnapshot {
  const snap = { started_at: stats.started_at } as EdgeSnapshot;
  for (const k of EDGE_COUNTERS) snap[k] = stats[k];
  return snap;
}

export function parseSnapshot(json: string | null): EdgeSnapshot | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as Partial<EdgeSnapshot>;
    return EDGE_COUNTERS.every((k) => typeof v[k] === 'number') ? (v as EdgeSnapshot) : null;
  } catch {
    return null;
  }
}

/**
 * The traffic between two readings of an edge's cumulative counters. No previous reading: a
 * baseline, nothing to record (an edge's history before it was registered is not this origin's
 * traffic). A counter that went down, or a new `started_at`, means the edge restarted: its
 * counters began again at zero, so the delta is the new value.
 */
export function statsDelta(prev: EdgeSnapshot | null, next: EdgeSnapshot): { deltas: EdgeCounters; restarted: boolean } | null {
  if (!prev) return null;
  const newStart = prev.started_at !== null && next.started_at !== null && String(prev.started_at) !== String(next.started_at);
  const restarted = newStart || EDGE_COUNTERS.some((k) => next[k] < prev[k]);
  const deltas = {} as EdgeCounters;
  for (const k of EDGE_COUNTERS) deltas[k] = restarted ? next[k] : next[k] - prev[k];
  return { deltas, restarted };
}
