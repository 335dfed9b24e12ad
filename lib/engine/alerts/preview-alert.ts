import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { assertDimVisible } from '../metrics/metric-series';
import { RES_MINUTE } from '../metrics/metric-event';
import { stepFor, type TimeRange } from '../metrics/query-rollups';
import type { AlertStat } from './alert-stat';
import { measureRule } from './evaluate-alerts';

export type PreviewPoint = { t: number; value: number | null };

const MAX_POINTS = 120;

/**
 * What a rule would have measured over a range: at each step, the stat over the window ending
 * there (and at the range's end), exactly as the evaluation computes it (so the threshold line
 * means the same thing).
 */
export function previewRule(
  engine: Engine,
  actor: Actor,
  q: { series: string; dim: string; stat: AlertStat; windowMs: number } & TimeRange,
): { step: number; points: PreviewPoint[] } {
  // The same rule as the series API: a package's figures by its statistics rule, a user's by ManageUsers.
  assertDimVisible(engine, actor, q.dim);
  const span = q.to - q.from;
  const step = Math.max(stepFor(q), Math.ceil(span / MAX_POINTS / RES_MINUTE) * RES_MINUTE);
  const rule = { series: q.series, dim: q.dim, stat: q.stat, windowMs: q.windowMs };
  const points: PreviewPoint[] = [];
  const first = Math.ceil(q.from / step) * step;
  for (let t = first; t < q.to; t += step) points.push({ t, value: measureRule(engine, rule, t) });
  // The range's end is always a point: "now" is what the next evaluation will see.
  points.push({ t: q.to, value: measureRule(engine, rule, q.to) });
  return { step, points };
}
