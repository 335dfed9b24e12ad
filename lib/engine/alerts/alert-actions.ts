import { eq } from 'drizzle-orm';
import { alertEvents, alertRules, alertStates } from '@/db/schema';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { getRule, type AlertRuleView } from './alert-rules';

function recordEvent(engine: Engine, rule: AlertRuleView, kind: 'acknowledged' | 'silenced', actor: Actor, message: string): void {
  engine.db
    .insert(alertEvents)
    .values({ ruleId: rule.id, ruleName: rule.name, severity: rule.severity, kind, value: rule.state?.last_value ?? null, message, actor: actor.name, at: engine.now() })
    .run();
}

/** Someone is on it: recorded on the firing alert (until it resolves) and in the history. */
export function acknowledgeAlert(engine: Engine, actor: Actor, ruleId: number): AlertRuleView {
  const rule = getRule(engine, ruleId);
  if (rule.state?.state !== 'firing') throw new AppError('ALERT_NOT_FIRING', `${rule.name} is not firing`);
  engine.db.transaction(() => {
    engine.db.update(alertStates).set({ acknowledgedBy: actor.name, acknowledgedAt: engine.now() }).where(eq(alertStates.ruleId, ruleId)).run();
    recordEvent(engine, rule, 'acknowledged', actor, `${rule.name} acknowledged by ${actor.name}`);
  });
  return getRule(engine, ruleId);
}

/**
 * No notifications for this rule until `until` (ms since the epoch; null lifts the silence).
 * The rule is still evaluated: its state and history stay true while it is silenced.
 */
export function silenceRule(engine: Engine, actor: Actor, ruleId: number, until: number | null): AlertRuleView {
  const rule = getRule(engine, ruleId);
  const effective = until !== null && until > engine.now() ? until : null;
  const message = effective === null ? `${rule.name}: silence lifted by ${actor.name}` : `${rule.name} silenced until ${new Date(effective).toISOString()} by ${actor.name}`;
  engine.db.transaction(() => {
    engine.db.update(alertRules).set({ silencedUntil: effective, updatedAt: engine.now() }).where(eq(alertRules.id, ruleId)).run();
    recordEvent(engine, rule, 'silenced', actor, message);
  });
  return getRule(engine, ruleId);
}
