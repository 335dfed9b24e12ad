import { eq } from 'drizzle-orm';
import { alertEvents, alertRules, alertStates, type AlertRuleRow, type AlertStateRow } from '@/db/schema';
import type { Engine } from '../engine';
import type { JobQueue } from '../jobs/types';
import { summarizeRange } from '../metrics/query-rollups';
import { breaches, comparatorOf, statValue, type AlertStat } from './alert-stat';
import { notifyWebhooks, type AlertNotice } from './notify-webhooks';

export type RuleOutcome = {
  rule_id: number;
  value: number | null;
  state: 'ok' | 'pending' | 'firing';
  /** A transition written to the history by this evaluation. */
  event: 'firing' | 'resolved' | null;
  /** Delivery jobs enqueued for it (none while the rule is silenced). */
  notified: number;
};

const fmt = (v: number | null) => (v === null ? 'no data' : Number.isInteger(v) ? String(v) : v.toFixed(2));

function describe(rule: AlertRuleRow, value: number | null): string {
  const what = `${rule.stat} of ${rule.series}${rule.dim ? ` [${rule.dim}]` : ''}`;
  return `${what} over ${Math.round(rule.windowMs / 60_000)} min is ${fmt(value)} (threshold ${comparatorOf(rule.kind)} ${fmt(rule.threshold)})`;
}

export function noticeOf(rule: AlertRuleRow, value: number | null, since: number, message: string): AlertNotice {
  return {
    rule_id: rule.id,
    rule: rule.name,
    severity: rule.severity,
    kind: rule.kind,
    stat: rule.stat as AlertStat,
    series: rule.series,
    dim: rule.dim,
    value,
    threshold: rule.threshold,
    window_ms: rule.windowMs,
    for_ms: rule.forMs,
    since,
    message,
  };
}

/** The stat of a rule over [at - window, at), from the rollups (minutes the window overlaps count whole). */
export function measureRule(engine: Engine, rule: Pick<AlertRuleRow, 'series' | 'dim' | 'stat' | 'windowMs'>, at: number): number | null {
  const summary = summarizeRange(engine, { series: rule.series, dim: rule.dim, from: at - rule.windowMs, to: at });
  return statValue(summary, rule.stat as AlertStat);
}

function transition(
  engine: Engine,
  queue: Pick<JobQueue, 'enqueue'>,
  rule: AlertRuleRow,
  kind: 'firing' | 'resolved',
  value: number | null,
  since: number,
  message: string,
): number {
  const now = engine.now();
  const { id } = engine.db
    .insert(alertEvents)
    .values({ ruleId: rule.id, ruleName: rule.name, severity: rule.severity, kind, value, message, actor: null, at: now })
    .returning({ id: alertEvents.id })
    .get();
  // Silenced: the history and the state are kept, nobody is notified.
  if (rule.silencedUntil !== null && rule.silencedUntil > now) return 0;
  return notifyWebhooks(engine, queue, id, { event: kind, alert: noticeOf(rule, value, since, message), at: now }).length;
}

/**
 * Judge one rule now: the condition holding starts `pending`, which fires once it has held for
 * the rule's "for" duration (at once when that is 0); a condition that no longer holds resolves
 * a firing alert (and drops a pending one silently). Firing and resolving are written to the
 * history and notified to the webhooks.
 */
function evaluateRule(
  engine: Engine,
  queue: Pick<JobQueue, 'enqueue'>,
  rule: AlertRuleRow,
  prev: AlertStateRow | undefined,
  value: number | null,
): RuleOutcome {
  const now = engine.now();
  const holds = breaches(rule.kind, value, rule.threshold);
  const was = prev?.state ?? 'ok';
  let state: RuleOutcome['state'] = was;
  let since = prev?.since ?? now;
  let event: RuleOutcome['event'] = null;
  let notified = 0;
  let ack = { acknowledgedBy: prev?.acknowledgedBy ?? null, acknowledgedAt: prev?.acknowledgedAt ?? null };

  if (holds && was === 'ok') {
    state = 'pending';
    since = now;
  }
  if (holds && state === 'pending' && now - since >= rule.forMs) {
    state = 'firing';
    since = now;
    event = 'firing';
    notified = transition(engine, queue, rule, 'firing', value, since, `${rule.name} is firing: ${describe(rule, value)}`);
  }
  if (!holds && was !== 'ok') {
    state = 'ok';
    since = now;
    ack = { acknowledgedBy: null, acknowledgedAt: null };
    if (was === 'firing') {
      event = 'resolved';
      notified = transition(engine, queue, rule, 'resolved', value, now, `${rule.name} resolved: ${describe(rule, value)}`);
    }
  }

  const row = { state, since, lastValue: value, lastEvaluatedAt: now, ...ack };
  engine.db
    .insert(alertStates)
    .values({ ruleId: rule.id, ...row })
    .onConflictDoUpdate({ target: alertStates.ruleId, set: row })
    .run();
  return { rule_id: rule.id, value, state, event, notified };
}

/** A disabled rule's alert ends: resolved (and notified) if it was firing, its state dropped. */
function retireRule(engine: Engine, queue: Pick<JobQueue, 'enqueue'>, rule: AlertRuleRow, prev: AlertStateRow): RuleOutcome {
  let notified = 0;
  if (prev.state === 'firing') notified = transition(engine, queue, rule, 'resolved', prev.lastValue, engine.now(), `${rule.name} resolved: the rule was disabled`);
  engine.db.delete(alertStates).where(eq(alertStates.ruleId, rule.id)).run();
  return { rule_id: rule.id, value: prev.lastValue, state: 'ok', event: prev.state === 'firing' ? 'resolved' : null, notified };
}

/**
 * Evaluate every rule at engine.now() (the `alerts.evaluate` job runs this every minute).
 * Reads only rollups: one summary per rule.
 */
export function evaluateAlerts(engine: Engine, queue: Pick<JobQueue, 'enqueue'>): RuleOutcome[] {
  const stateOf = (ruleId: number) => engine.db.select().from(alertStates).where(eq(alertStates.ruleId, ruleId)).get();
  const outcomes: RuleOutcome[] = [];
  for (const rule of engine.db.select().from(alertRules).all()) {
    const value = rule.enabled ? measureRule(engine, rule, engine.now()) : null;
    // The state is read and written in one write transaction: two evaluations at once (the
    // schedule and "Evaluate now", or two processes on one database) never both fire an alert.
    const outcome = engine.db.transaction(
      () => {
        const prev = stateOf(rule.id);
        if (rule.enabled) return evaluateRule(engine, queue, rule, prev, value);
        return prev ? retireRule(engine, queue, rule, prev) : null;
      },
      { behavior: 'immediate' },
    );
    if (outcome) outcomes.push(outcome);
  }
  return outcomes;
}
