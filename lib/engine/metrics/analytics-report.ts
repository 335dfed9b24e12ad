import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { activityBounds } from './activity-bounds';
import { SERIES } from './metric-event';
import { dimId, packageLabels } from './package-names';
import { summarizeRange, topDims, totalsByDim, type TimeRange } from './query-rollups';

/** Rows the report lists at most per table (ranked by activity). */
const MAX_ROWS = 1_000;
const TOP_N = 10;

export type PackageStatsRow = {
  package_id: string;
  version: string;
  downloads: number;
  uploads: number;
  accesses: number;
  bandwidth_bytes: number;
  /** Mean download response time in ms; null without downloads. */
  avg_download_time: number | null;
  storage_bytes: number;
  /** Rollups keep counts per version and per user, not the pairs: distinct users per version cannot be told. */
  unique_users: null;
  errors: number;
  /** The last minute with a download response of this version within the range (ms since the epoch). */
  last_access: number | null;
};

export type UserStatsRow = {
  user_id: string;
  downloads: number;
  uploads: number;
  /** Not kept by the rollups (no user × package dims). */
  unique_packages: null;
  bandwidth_bytes: number;
  /** First and last minute with a download or publish by the user within the range. */
  first_activity: number | null;
  last_activity: number | null;
};

export type RegionStatsRow = { region: string; requests: number; bandwidth_bytes: number; avg_latency_ms: number | null; error_rate: number };

export type ActiveAlert = { rule_id: number; name: string; severity: string; since: number; value: number | null };

/** The torsh-package crate's AnalyticsReport fields; times in ms since the epoch like every figure of this API. */
export type AnalyticsReport = {
  generated_at: number;
  time_range_start: number;
  time_range_end: number;
  total_downloads: number;
  total_uploads: number;
  total_bandwidth_bytes: number;
  total_storage_bytes: number;
  total_errors: number;
  package_stats: PackageStatsRow[];
  user_stats: UserStatsRow[];
  region_stats: RegionStatsRow[];
  active_alerts: ActiveAlert[];
  top_packages: [string, number][];
  top_users: [string, number][];
};

type VersionRow = { id: number; package_id: number; version: string; size: number; published_at: number };

function packageStats(engine: Engine, actor: Actor, range: TimeRange): PackageStatsRow[] {
  const active = topDims(engine, { series: SERIES.download, prefix: 'v:', by: 'count', limit: MAX_ROWS, ...range });
  const published = engine.db.$client
    .prepare('SELECT id FROM versions WHERE published_at >= ? AND published_at < ? ORDER BY id LIMIT ?')
    .all(range.from, range.to, MAX_ROWS) as { id: number }[];
  const ids = [...new Set([...active.map((a) => dimId(a.dim)), ...published.map((p) => p.id)])];
  const versions = engine.db.$client
    .prepare('SELECT id, package_id, version, size, published_at FROM versions WHERE id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(ids)) as VersionRow[];
  const labels = packageLabels(engine, actor, [...new Set(versions.map((v) => v.package_id))]);
  const dims = versions.map((v) => `v:${v.id}`);
  const totals = totalsByDim(engine, SERIES.download, range, { dims });
  const bounds = activityBounds(engine, [SERIES.download], dims, range);
  return versions
    .filter((v) => labels.get(v.package_id)?.visible)
    .map((v) => {
      const t = totals.get(`v:${v.id}`);
      return {
        package_id: labels.get(v.package_id)!.name,
        version: v.version,
        downloads: t?.ok ?? 0,
        uploads: v.published_at >= range.from && v.published_at < range.to ? 1 : 0,
        accesses: t?.count ?? 0,
        bandwidth_bytes: t?.bytes ?? 0,
        avg_download_time: t && t.count > 0 ? t.sum / t.count : null,
        storage_bytes: v.size,
        unique_users: null,
        errors: t?.errors ?? 0,
        last_access: bounds.get(`v:${v.id}`)?.last ?? null,
      };
    })
    .sort((a, b) => b.downloads - a.downloads || b.accesses - a.accesses || a.package_id.localeCompare(b.package_id) || a.version.localeCompare(b.version));
}

/** Per-user figures name people: only holders of ManageUsers (admins) get them. */
function userStats(engine: Engine, actor: Actor, range: TimeRange): UserStatsRow[] {
  if (!actor.permissions.has('ManageUsers')) return [];
  const dl = topDims(engine, { series: SERIES.download, prefix: 'u:', by: 'count', limit: MAX_ROWS, ...range });
  const pub = topDims(engine, { series: SERIES.publish, prefix: 'u:', by: 'count', limit: MAX_ROWS, ...range });
  const dims = [...new Set([...dl, ...pub].map((d) => d.dim))];
  const names = new Map(
    (
      engine.db.$client.prepare('SELECT id, username FROM users WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(dims.map(dimId))) as {
        id: number;
        username: string;
      }[]
    ).map((u) => [u.id, u.username]),
  );
  const bounds = activityBounds(engine, [SERIES.download, SERIES.publish], dims, range);
  const dlBy = new Map(dl.map((d) => [d.dim, d]));
  const pubBy = new Map(pub.map((d) => [d.dim, d]));
  return dims
    .map((dim) => ({
      user_id: names.get(dimId(dim)) ?? '(deleted)',
      downloads: dlBy.get(dim)?.ok ?? 0,
      uploads: pubBy.get(dim)?.ok ?? 0,
      unique_packages: null,
      bandwidth_bytes: (dlBy.get(dim)?.bytes ?? 0) + (pubBy.get(dim)?.bytes ?? 0),
      first_activity: bounds.get(dim)?.first ?? null,
      last_activity: bounds.get(dim)?.last ?? null,
    }))
    .sort((a, b) => b.downloads + b.uploads - (a.downloads + a.uploads) || a.user_id.localeCompare(b.user_id));
}

function regionStats(engine: Engine, range: TimeRange): RegionStatsRow[] {
  return topDims(engine, { series: SERIES.download, prefix: 'r:', by: 'count', limit: MAX_ROWS, ...range }).map((r) => ({
    region: r.dim.slice(2),
    requests: r.count,
    bandwidth_bytes: r.bytes,
    avg_latency_ms: r.count > 0 ? r.sum / r.count : null,
    error_rate: r.count > 0 ? r.errors / r.count : 0,
  }));
}

function activeAlerts(engine: Engine): ActiveAlert[] {
  return engine.db.$client
    .prepare(
      `SELECT r.id AS rule_id, r.name AS name, r.severity AS severity, s.since AS since, s.last_value AS value
       FROM alert_states s JOIN alert_rules r ON r.id = s.rule_id WHERE s.state = 'firing' ORDER BY s.since`,
    )
    .all() as ActiveAlert[];
}

/**
 * The crate's AnalyticsReport over a range, from the rollups (ViewStats). Totals cover the whole
 * registry; per-package rows only packages whose statistics the actor may see.
 */
export function analyticsReport(engine: Engine, actor: Actor, range: TimeRange): AnalyticsReport {
  const dl = summarizeRange(engine, { series: SERIES.download, percentiles: false, ...range });
  const pub = summarizeRange(engine, { series: SERIES.publish, percentiles: false, ...range });
  const api = summarizeRange(engine, { series: SERIES.api, percentiles: false, ...range });
  const topPkgs = topDims(engine, { series: SERIES.download, prefix: 'p:', by: 'ok', limit: TOP_N * 3, ...range });
  const labels = packageLabels(engine, actor, topPkgs.map((t) => dimId(t.dim)));
  const users = userStats(engine, actor, range);
  return {
    generated_at: engine.now(),
    time_range_start: range.from,
    time_range_end: range.to,
    total_downloads: dl.ok,
    total_uploads: pub.ok,
    total_bandwidth_bytes: dl.bytes + pub.bytes,
    total_storage_bytes: (engine.db.$client.prepare('SELECT coalesce(sum(size), 0) AS n FROM versions').get() as { n: number }).n,
    // Every 5xx answer of the API, downloads and publishes included (they are API requests too).
    total_errors: api.errors,
    package_stats: packageStats(engine, actor, range),
    user_stats: users,
    region_stats: regionStats(engine, range),
    active_alerts: activeAlerts(engine),
    top_packages: topPkgs
      .filter((t) => labels.get(dimId(t.dim))?.visible)
      .slice(0, TOP_N)
      .map((t) => [labels.get(dimId(t.dim))!.name, t.ok]),
    top_users: users
      .filter((u) => u.downloads > 0)
      .sort((a, b) => b.downloads - a.downloads)
      .slice(0, TOP_N)
      .map((u) => [u.user_id, u.downloads]),
  };
}

const CSV_COLUMNS: (keyof PackageStatsRow)[] = [
  'package_id',
  'version',
  'downloads',
  'uploads',
  'accesses',
  'bandwidth_bytes',
  'avg_download_time',
  'storage_bytes',
  'unique_users',
  'errors',
  'last_access',
];

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The report's package_stats as CSV (header line, one row per version; empty cells for nulls, last_access as RFC 3339). */
export function analyticsReportCsv(report: AnalyticsReport): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of report.package_stats) {
    lines.push(CSV_COLUMNS.map((c) => csvCell(c === 'last_access' && row.last_access !== null ? new Date(row.last_access).toISOString() : row[c])).join(','));
  }
  return lines.join('\n') + '\n';
}
