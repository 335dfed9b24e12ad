import type { Actor } from '../actor';
import { countFiringAlerts } from '../alerts/list-alerts';
import { jobBacklog } from '../jobs/list-jobs';
import type { Engine } from '../engine';
import { getStats } from '../registry/get-stats';
import { SERIES } from './metric-event';
import { previousRange } from './metrics-range';
import { dimId, packageLabels } from './package-names';
import { seriesPoints, stepFor, summarizeRange, topDims, totalsByDim, type DimTotal, type TimeRange } from './query-rollups';

export type OverviewKpis = {
  packages: number;
  versions: number;
  storage_bytes: number;
  /** Full (200) downloads in the range, and in the period of the same length before it. */
  downloads: number;
  downloads_previous: number;
  bytes_served: number;
  bytes_served_previous: number;
  /** Download responses of every kind (ranges, 304s, errors). */
  download_requests: number;
  p95_download_ms: number | null;
  p95_download_ms_previous: number | null;
  api_requests: number;
  api_errors: number;
  /** API 5xx answers / API answers; null without requests. */
  error_rate: number | null;
  error_rate_previous: number | null;
  active_alerts: number;
  job_backlog: number;
};

export type OverviewPoint = {
  t: number;
  downloads: number;
  requests: number;
  bytes: number;
  errors: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
};

export type TopPackage = { package_id: number; name: string; visible: boolean; downloads: number; requests: number; bytes: number };
export type RouteErrors = { route: string; requests: number; errors: number; error_rate: number };

export type OverviewView = {
  from: number;
  to: number;
  step: number;
  previous: TimeRange;
  kpis: OverviewKpis;
  points: OverviewPoint[];
  top_by_downloads: TopPackage[];
  top_by_bytes: TopPackage[];
  errors_by_route: RouteErrors[];
};

const TOP_N = 10;

const rate = (errors: number, count: number) => (count > 0 ? errors / count : null);

function countRows(engine: Engine, sql: string): number {
  return (engine.db.$client.prepare(sql).get() as { n: number }).n;
}

/** Top packages by full downloads and by bytes, from one read of the packages' totals. */
function topPackages(engine: Engine, actor: Actor, range: TimeRange): { byDownloads: TopPackage[]; byBytes: TopPackage[] } {
  const totals = [...totalsByDim(engine, SERIES.download, range, { prefix: 'p:' }).values()];
  const rank = (by: 'ok' | 'bytes') =>
    totals
      .filter((t) => t[by] > 0)
      .sort((a, b) => b[by] - a[by] || a.dim.localeCompare(b.dim))
      .slice(0, TOP_N);
  const [byDownloads, byBytes] = [rank('ok'), rank('bytes')];
  const labels = packageLabels(engine, actor, [...byDownloads, ...byBytes].map((t) => dimId(t.dim)));
  const view = (t: DimTotal): TopPackage => {
    const id = dimId(t.dim);
    const label = labels.get(id)!;
    return { package_id: id, name: label.name, visible: label.visible, downloads: t.ok, requests: t.count, bytes: t.bytes };
  };
  return { byDownloads: byDownloads.map(view), byBytes: byBytes.map(view) };
}

/**
 * The Overview dashboard over a range (ViewStats): KPIs with the change against the period
 * before, and the charts' series — every figure from the metrics rollups.
 */
export function overview(engine: Engine, actor: Actor, range: TimeRange): OverviewView {
  const prev = previousRange(range);
  const top = topPackages(engine, actor, range);
  const dl = summarizeRange(engine, { series: SERIES.download, ...range });
  const dlPrev = summarizeRange(engine, { series: SERIES.download, ...prev });
  const api = summarizeRange(engine, { series: SERIES.api, percentiles: false, ...range });
  const apiPrev = summarizeRange(engine, { series: SERIES.api, percentiles: false, ...prev });
  const registry = getStats(engine, actor, 0);
  const step = stepFor(range);
  const points = seriesPoints(engine, { series: SERIES.download, step, ...range }).map((p) => ({
    t: p.t,
    downloads: p.ok,
    requests: p.count,
    bytes: p.bytes,
    errors: p.errors,
    p50: p.p50,
    p95: p.p95,
    p99: p.p99,
  }));
  const routes = topDims(engine, { series: SERIES.api, prefix: 'route:', by: 'errors', limit: TOP_N, ...range });
  return {
    from: range.from,
    to: range.to,
    step,
    previous: prev,
    kpis: {
      packages: registry.packages,
      versions: registry.versions,
      storage_bytes: countRows(engine, 'SELECT coalesce(sum(size), 0) AS n FROM versions'),
      downloads: dl.ok,
      downloads_previous: dlPrev.ok,
      bytes_served: dl.bytes,
      bytes_served_previous: dlPrev.bytes,
      download_requests: dl.count,
      p95_download_ms: dl.p95,
      p95_download_ms_previous: dlPrev.p95,
      api_requests: api.count,
      api_errors: api.errors,
      error_rate: rate(api.errors, api.count),
      error_rate_previous: rate(apiPrev.errors, apiPrev.count),
      active_alerts: countFiringAlerts(engine),
      job_backlog: jobBacklog(engine),
    },
    points,
    top_by_downloads: top.byDownloads,
    top_by_bytes: top.byBytes,
    errors_by_route: routes.map((r) => ({ route: r.dim.slice('route:'.length), requests: r.count, errors: r.errors, error_rate: r.errors / r.count })),
  };
}
