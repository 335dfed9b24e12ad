import { asc, eq } from 'drizzle-orm';
import { alertRules, alertStates, type AlertRuleRow, type AlertStateRow } from '@/db/schema';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { STATS_OF_KIND, type AlertKind, type AlertStat, type Severity } from './alert-stat';

/** Metric series names: 'download', 'gauge.storage_bytes', 'mirror.health'… */
export const SERIES_NAME_RE = /^[a-z][a-z0-9_.-]{0,63}$/;

export type AlertRuleFields = {
  name: string;
  series: string;
  dim: string;
  stat: AlertStat;
  kind: AlertKind;
  threshold: number;
  window_ms: number;
  for_ms: number;
  severity: Severity;
  enabled: boolean;
};

export type AlertStateView = {
  state: 'ok' | 'pending' | 'firing';
  since: number;
  last_value: number | null;
  last_evaluated_at: number | null;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
};

export type AlertRuleView = AlertRuleFields & {
  id: number;
  silenced_until: number | null;
  created_by: string;
  created_at: number;
  updated_at: number;
  state: AlertStateView | null;
};

export function toStateView(s: AlertStateRow | undefined): AlertStateView | null {
  if (!s) return null;
  return {
    state: s.state,
    since: s.since,
    last_value: s.lastValue,
    last_evaluated_at: s.lastEvaluatedAt,
    acknowledged_by: s.acknowledgedBy,
    acknowledged_at: s.acknowledgedAt,
  };
}

export function toRuleView(r: AlertRuleRow, s: AlertStateRow | undefined): AlertRuleView {
  return {
    id: r.id,
    name: r.name,
    series: r.series,
    dim: r.dim,
    stat: r.stat as AlertStat,
    kind: r.kind,
    threshold: r.threshold,
    window_ms: r.windowMs,
    for_ms: r.forMs,
    severity: r.severity,
    enabled: r.enabled,
    silenced_until: r.silencedUntil,
    created_by: r.createdBy,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    state: toStateView(s),
  };
}

/** The engine's own check of a rule as a whole (callers validate fields with zod first). */
function assertCoherent(f: AlertRuleFields): void {
  if (!SERIES_NAME_RE.test(f.series)) throw new AppError('INVALID_INPUT', `"${f.series}" is not a series name`);
  if (!STATS_OF_KIND[f.kind]?.includes(f.stat)) {
    throw new AppError('INVALID_INPUT', `a ${f.kind} rule takes one of: ${STATS_OF_KIND[f.kind]?.join(', ')}`, { field: 'stat' });
  }
  if (f.kind === 'max_percentage' && (f.threshold < 0 || f.threshold > 100)) {
    throw new AppError('INVALID_INPUT', 'a percentage threshold is between 0 and 100', { field: 'threshold' });
  }
  if (!Number.isFinite(f.threshold)) throw new AppError('INVALID_INPUT', 'the threshold is a number', { field: 'threshold' });
  if (f.window_ms < 60_000) throw new AppError('INVALID_INPUT', 'the window is at least 1 minute', { field: 'window_ms' });
  if (f.for_ms < 0) throw new AppError('INVALID_INPUT', '"for" is not negative', { field: 'for_ms' });
}

function ruleRow(engine: Engine, id: number): AlertRuleRow {
  const row = engine.db.select().from(alertRules).where(eq(alertRules.id, id)).get();
  if (!row) throw new AppError('ALERT_RULE_NOT_FOUND', `no alert rule ${id}`);
  return row;
}

export function getRule(engine: Engine, id: number): AlertRuleView {
  const row = ruleRow(engine, id);
  return toRuleView(row, engine.db.select().from(alertStates).where(eq(alertStates.ruleId, id)).get());
}

export function listRules(engine: Engine): AlertRuleView[] {
  const states = new Map(engine.db.select().from(alertStates).all().map((s) => [s.ruleId, s]));
  return engine.db
    .select()
    .from(alertRules)
    .orderBy(asc(alertRules.name), asc(alertRules.id))
    .all()
    .map((r) => toRuleView(r, states.get(r.id)));
}

export function createRule(engine: Engine, actor: Actor, f: AlertRuleFields): AlertRuleView {
  assertCoherent(f);
  const now = engine.now();
  const { id } = engine.db
    .insert(alertRules)
    .values({
      name: f.name,
      series: f.series,
      dim: f.dim,
      stat: f.stat,
      kind: f.kind,
      threshold: f.threshold,
      windowMs: f.window_ms,
      forMs: f.for_ms,
      severity: f.severity,
      enabled: f.enabled,
      createdBy: actor.name,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: alertRules.id })
    .get();
  return getRule(engine, id);
}

/** The state carries on: the next evaluation judges the new condition (a firing alert it no longer meets resolves). */
export function updateRule(engine: Engine, id: number, patch: Partial<AlertRuleFields>): AlertRuleView {
  const current = getRule(engine, id);
  const next: AlertRuleFields = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
  assertCoherent(next);
  engine.db
    .update(alertRules)
    .set({
      name: next.name,
      series: next.series,
      dim: next.dim,
      stat: next.stat,
      kind: next.kind,
      threshold: next.threshold,
      windowMs: next.window_ms,
      forMs: next.for_ms,
      severity: next.severity,
      enabled: next.enabled,
      updatedAt: engine.now(),
    })
    .where(eq(alertRules.id, id))
    .run();
  return getRule(engine, id);
}

/** The rule and its state go; its history stays (events keep the rule's name). */
export function deleteRule(engine: Engine, id: number): void {
  ruleRow(engine, id);
  engine.db.delete(alertRules).where(eq(alertRules.id, id)).run();
}
