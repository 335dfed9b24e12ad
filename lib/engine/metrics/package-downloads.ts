import type { Actor } from '../actor';
import { findPackageRef } from '../access/package-access';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { canViewStats } from '../registry/stats-access';
import { RES_DAY, SERIES } from './metric-event';
import { seriesPoints, stepFor, totalsByDim, type TimeRange } from './query-rollups';

/** Versions drawn as their own line; the rest are summed into "other". */
const MAX_LINES = 8;
export const OTHER_VERSIONS = 'other';

export type PackageDownloadsView = {
  name: string;
  from: number;
  to: number;
  step: number;
  /** Every version with its figures over the range, most downloaded first. */
  versions: { version: string; downloads: number; requests: number; bytes: number }[];
  /** The versions drawn as lines (and "other" when there are more). */
  lines: string[];
  /** One point per step: `t` and the full downloads of each line. */
  points: ({ t: number } & Record<string, number>)[];
};

/** Full downloads of each version of a package over a range, from the 'v:<id>' rollups (canViewStats on the package). */
export function packageDownloads(engine: Engine, actor: Actor, name: string, range: TimeRange): PackageDownloadsView {
  const pkg = findPackageRef(engine, name);
  if (!pkg) throw new AppError('PACKAGE_NOT_FOUND', `package "${name}" does not exist`);
  if (!canViewStats(engine, actor, pkg)) {
    if (actor.kind === 'anonymous') throw new AppError('UNAUTHENTICATED', 'sign in or send a bearer token to see download figures');
    throw new AppError('FORBIDDEN', `${actor.name} lacks the ViewStats permission on ${name}`);
  }
  const rows = engine.db.$client.prepare('SELECT id, version FROM versions WHERE package_id = ? ORDER BY id').all(pkg.id) as { id: number; version: string }[];
  const totals = totalsByDim(engine, SERIES.download, range, { dims: rows.map((r) => `v:${r.id}`) });
  const versions = rows
    .map((r) => {
      const t = totals.get(`v:${r.id}`);
      return { id: r.id, version: r.version, downloads: t?.ok ?? 0, requests: t?.count ?? 0, bytes: t?.bytes ?? 0 };
    })
    .sort((a, b) => b.downloads - a.downloads || b.id - a.id);
  const drawn = versions.filter((v) => v.downloads > 0).slice(0, MAX_LINES);
  // Downloads per version per day once the range spans a week (read from the day rollups), finer below.
  const step = range.to - range.from >= 7 * RES_DAY ? RES_DAY : stepFor(range);
  const byLine = drawn.map((v) => ({ line: v.version, points: seriesPoints(engine, { series: SERIES.download, dim: `v:${v.id}`, step, percentiles: false, ...range }) }));
  const whole = seriesPoints(engine, { series: SERIES.download, dim: `p:${pkg.id}`, step, percentiles: false, ...range });
  // Undrawn versions, and versions deleted since (they still count under 'p:'), make up "other".
  const rest = whole.reduce((n, p) => n + p.ok, 0) > drawn.reduce((n, v) => n + v.downloads, 0);
  const points = whole.map((p, i) => {
    const point: { t: number } & Record<string, number> = { t: p.t };
    let drawnSum = 0;
    for (const l of byLine) {
      point[l.line] = l.points[i]?.ok ?? 0;
      drawnSum += point[l.line]!;
    }
    if (rest) point[OTHER_VERSIONS] = Math.max(0, p.ok - drawnSum);
    return point;
  });
  return {
    name: pkg.name,
    from: range.from,
    to: range.to,
    step,
    versions: versions.map(({ version, downloads, requests, bytes }) => ({ version, downloads, requests, bytes })),
    lines: [...byLine.map((l) => l.line), ...(rest ? [OTHER_VERSIONS] : [])],
    points,
  };
}
