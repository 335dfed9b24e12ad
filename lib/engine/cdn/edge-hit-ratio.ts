import type { Engine } from '../engine';
import type { GaugeSample } from '../observability/prom-gauges';
import { parseSnapshot } from './stats-delta';

/** torsh_edge_hit_ratio{edge,region}: from each edge's counters at its last collection (one small table read). */
export function edgeHitRatios(engine: Engine): GaugeSample[] {
  const rows = engine.db.$client.prepare('SELECT url, region, last_stats FROM edges ORDER BY id').all() as { url: string; region: string; last_stats: string | null }[];
  return rows.map((r) => {
    const s = parseSnapshot(r.last_stats);
    return { labels: { edge: r.url, region: r.region }, value: s && s.requests > 0 ? s.hits / s.requests : 0 };
  });
}
