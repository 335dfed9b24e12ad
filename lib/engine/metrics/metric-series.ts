import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { canViewStats } from '../registry/stats-access';
import type { Visibility } from '@/db/schema';
import { resolveStep } from './metrics-range';
import { seriesPoints, type SeriesPoint, type TimeRange } from './query-rollups';

export type SeriesView = { series: string; dim: string; from: number; to: number; step: number; points: SeriesPoint[] };

/**
 * A package or version dim also follows the package's statistics rule (private packages: owners
 * and admins); a user's dim names a person's activity, so it needs ManageUsers (as the report's
 * user statistics do).
 */
export function assertDimVisible(engine: Engine, actor: Actor, dim: string): void {
  if (dim.startsWith('u:') && !actor.permissions.has('ManageUsers')) {
    throw new AppError('FORBIDDEN', `${actor.name} may not see one user's activity (ManageUsers)`);
  }
  if (dim.startsWith('e:') && !actor.permissions.has('ManageCdn')) {
    throw new AppError('FORBIDDEN', `${actor.name} may not see one edge's traffic (ManageCdn)`);
  }
  if (dim.startsWith('m:') && !actor.permissions.has('ManageMirrors')) {
    throw new AppError('FORBIDDEN', `${actor.name} may not see one mirror's figures (ManageMirrors)`);
  }
  if (dim.startsWith('n:') && !actor.permissions.has('ManageReplication')) {
    throw new AppError('FORBIDDEN', `${actor.name} may not see one replication node's figures (ManageReplication)`);
  }
  if (dim.startsWith('b:') && !actor.permissions.has('ManageBackups')) {
    throw new AppError('FORBIDDEN', `${actor.name} may not see one backup repository's figures (ManageBackups)`);
  }
  const m = /^([pv]):(\d+)$/.exec(dim);
  if (!m) return;
  const sql =
    m[1] === 'p'
      ? 'SELECT id, name, visibility FROM packages WHERE id = ?'
      : 'SELECT p.id AS id, p.name AS name, p.visibility AS visibility FROM versions v JOIN packages p ON p.id = v.package_id WHERE v.id = ?';
  const pkg = engine.db.$client.prepare(sql).get(Number(m[2])) as { id: number; name: string; visibility: Visibility } | undefined;
  // Gone packages' figures stay: only their ids remain, nothing to protect.
  if (pkg && !canViewStats(engine, actor, pkg)) throw new AppError('FORBIDDEN', `${actor.name} may not see the statistics of this package`);
}

/** One series (and dim) over a range in points of `step` ms, from the rollups (ViewStats). */
export function metricSeries(engine: Engine, actor: Actor, q: { series: string; dim: string; step?: number } & TimeRange): SeriesView {
  assertDimVisible(engine, actor, q.dim);
  const step = resolveStep(q, q.step);
  return { series: q.series, dim: q.dim, from: q.from, to: q.to, step, points: seriesPoints(engine, { ...q, step }) };
}
