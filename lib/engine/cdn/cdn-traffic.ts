import { edges } from '@/db/schema';
import { authorize } from '../access/authorize';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { SERIES } from '../metrics/metric-event';
import { resolveRange, resolveStep } from '../metrics/metrics-range';
import { seriesPoints, type TimeRange } from '../metrics/query-rollups';

/** One step of an edge's (or every edge's) traffic, from the edge.* rollups. */
export type TrafficPoint = {
  t: number;
  requests: number;
  hits: number;
  /** hits ÷ requests in the step, 0–1; null when the step had no requests. */
  hit_rate: number | null;
  bytes_from_cache: number;
  bytes_from_origin: number;
};

export type TrafficSeries = { id: number | null; url: string | null; region: string | null; points: TrafficPoint[]; totals: Omit<TrafficPoint, 't'> };

export type CdnTraffic = { from: number; to: number; step: number; overall: TrafficSeries; edges: TrafficSeries[] };

function trafficOf(engine: Engine, dim: string, range: TimeRange, step: number): { points: TrafficPoint[]; totals: Omit<TrafficPoint, 't'> } {
  const read = (series: string) => seriesPoints(engine, { series, dim, step, percentiles: false, ...range });
  const base = read(SERIES.edgeRequests);
  const sums = (series: string) => read(series).map((p) => p.sum);
  const hits = sums(SERIES.edgeHits);
  const fromCache = sums(SERIES.edgeBytesCache);
  const fromOrigin = sums(SERIES.edgeBytesOrigin);
  const points = base.map(({ t, sum: requests }, i) => ({
    t,
    requests,
    hits: hits[i]!,
    hit_rate: requests > 0 ? hits[i]! / requests : null,
    bytes_from_cache: fromCache[i]!,
    bytes_from_origin: fromOrigin[i]!,
  }));
  const sum = (k: 'requests' | 'hits' | 'bytes_from_cache' | 'bytes_from_origin') => points.reduce((a, p) => a + p[k], 0);
  const totals = { requests: sum('requests'), hits: sum('hits'), hit_rate: null as number | null, bytes_from_cache: sum('bytes_from_cache'), bytes_from_origin: sum('bytes_from_origin') };
  totals.hit_rate = totals.requests > 0 ? totals.hits / totals.requests : null;
  return { points, totals };
}

/**
 * Hit rate and bytes served from cache vs from the origin per step, over every edge (dim '')
 * and, with `perEdge`, for each registered edge (dim e:<id>): sums of the deltas each
 * collection recorded, so a rate is a ratio of sums per step, never a mean of ratios.
 */
export function cdnTraffic(engine: Engine, range: TimeRange, opts: { step?: number; perEdge: boolean }): CdnTraffic {
  const step = resolveStep(range, opts.step);
  const overall = { id: null, url: null, region: null, ...trafficOf(engine, '', range, step) };
  const rows = opts.perEdge ? engine.db.select().from(edges).orderBy(edges.region, edges.url).all() : [];
  return {
    from: range.from,
    to: range.to,
    step,
    overall,
    edges: rows.map((r) => ({ id: r.id, url: r.url, region: r.region, ...trafficOf(engine, `e:${r.id}`, range, step) })),
  };
}

/**
 * The CDN page's read model for `actor`: every edge's traffic with ViewStats or ManageCdn, and
 * each edge's own with ManageCdn only (403 otherwise). `query` is a range as the metrics API takes it.
 */
export function cdnTrafficFor(engine: Engine, actor: Actor, query: Parameters<typeof resolveRange>[1] & { step?: number }): CdnTraffic {
  const perEdge = actor.permissions.has('ManageCdn');
  if (!perEdge) authorize(actor, 'ViewStats');
  return cdnTraffic(engine, resolveRange(engine.now(), query), { step: query.step, perEdge });
}
