import { count, desc, inArray } from 'drizzle-orm';
import { alertEvents, alertRules, alertStates } from '@/db/schema';
import type { Engine } from '../engine';
import { toRuleView, type AlertRuleView } from './alert-rules';
import type { Severity } from './alert-stat';

export type AlertEventView = {
  id: number;
  rule_id: number;
  rule: string;
  severity: Severity;
  kind: 'firing' | 'resolved' | 'acknowledged' | 'silenced';
  value: number | null;
  message: string;
  actor: string | null;
  at: number;
};

/** Rules whose alert is firing or pending, most severe first, then the oldest. */
export function listActiveAlerts(engine: Engine): AlertRuleView[] {
  const states = engine.db.select().from(alertStates).where(inArray(alertStates.state, ['firing', 'pending'])).all();
  if (states.length === 0) return [];
  const byId = new Map(states.map((s) => [s.ruleId, s]));
  const order = (v: AlertRuleView) => (v.state?.state === 'firing' ? 0 : 1);
  const rank = ['critical', 'error', 'warning', 'info'];
  return engine.db
    .select()
    .from(alertRules)
    .where(inArray(alertRules.id, [...byId.keys()]))
    .all()
    .map((r) => toRuleView(r, byId.get(r.id)))
    .sort((a, b) => order(a) - order(b) || rank.indexOf(a.severity) - rank.indexOf(b.severity) || a.state!.since - b.state!.since);
}

/** The history, newest first. */
export function listAlertHistory(engine: Engine, page: number, perPage: number): { total: number; events: AlertEventView[] } {
  const total = engine.db.select({ n: count() }).from(alertEvents).get()!.n;
  const rows = engine.db
    .select()
    .from(alertEvents)
    .orderBy(desc(alertEvents.at), desc(alertEvents.id))
    .limit(perPage)
    .offset((page - 1) * perPage)
    .all();
  return {
    total,
    events: rows.map((r) => ({
      id: r.id,
      rule_id: r.ruleId,
      rule: r.ruleName,
      severity: r.severity as Severity,
      kind: r.kind,
      value: r.value,
      message: r.message,
      actor: r.actor,
      at: r.at,
    })),
  };
}

/** Alerts firing now (the overview's KPI and the Prometheus gauge read this). */
export function countFiringAlerts(engine: Engine): number {
  return engine.db.select({ n: count() }).from(alertStates).where(inArray(alertStates.state, ['firing'])).get()!.n;
}
