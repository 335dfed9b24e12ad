import { eq } from 'drizzle-orm';
import { webhooks } from '@/db/schema';
import type { Engine } from '../engine';
import type { JobQueue } from '../jobs/types';
import { severityRank, type AlertKind, type AlertStat, type Severity } from './alert-stat';
import { getWebhook } from './webhooks';

export const WEBHOOK_JOB = 'alerts.webhook';
/** Deliveries are tried this often (the queue backs off between attempts) before the job is dead. */
export const WEBHOOK_MAX_ATTEMPTS = 6;

export type AlertNotice = {
  rule_id: number;
  rule: string;
  severity: Severity;
  kind: AlertKind;
  stat: AlertStat;
  series: string;
  dim: string;
  value: number | null;
  threshold: number;
  window_ms: number;
  for_ms: number;
  /** When the rule's current state began (firing: when it fired). */
  since: number;
  message: string;
};

/** The JSON a receiver gets. */
export type WebhookBody = { event: 'firing' | 'resolved' | 'test'; alert: AlertNotice; at: number };

export type WebhookJobPayload = { webhook_id: number; alert_event_id: number | null; body: string };

type Enqueue = Pick<JobQueue, 'enqueue'>;

/**
 * One durable delivery job per enabled webhook whose minimum severity the alert reaches. The
 * body is fixed here, so every retry sends the same JSON (signed afresh with a new timestamp).
 */
export function notifyWebhooks(engine: Engine, queue: Enqueue, alertEventId: number, body: WebhookBody): number[] {
  const text = JSON.stringify(body);
  const targets = engine.db
    .select({ id: webhooks.id, minSeverity: webhooks.minSeverity })
    .from(webhooks)
    .where(eq(webhooks.enabled, true))
    .all()
    .filter((w) => severityRank(body.alert.severity) >= severityRank(w.minSeverity));
  return targets.map(
    (w) =>
      queue.enqueue(WEBHOOK_JOB, { webhook_id: w.id, alert_event_id: alertEventId, body: text } satisfies WebhookJobPayload, {
        maxAttempts: WEBHOOK_MAX_ATTEMPTS,
        idempotencyKey: `alert-event:${alertEventId}:webhook:${w.id}`,
      }).id,
  );
}

/** A "test" notification to one webhook (whatever its minimum severity), through the same queue. */
export function sendTestNotification(engine: Engine, queue: Enqueue, webhookId: number): { job_id: number } {
  const hook = getWebhook(engine, webhookId);
  const now = engine.now();
  const body: WebhookBody = {
    event: 'test',
    alert: {
      rule_id: 0,
      rule: 'Test notification',
      severity: hook.min_severity,
      kind: 'maximum',
      stat: 'p95',
      series: 'download',
      dim: '',
      value: 0,
      threshold: 0,
      window_ms: 300_000,
      for_ms: 0,
      since: now,
      message: `a test notification to ${hook.name}`,
    },
    at: now,
  };
  const payload: WebhookJobPayload = { webhook_id: webhookId, alert_event_id: null, body: JSON.stringify(body) };
  // One attempt: a test shows what the endpoint answers now; the user sends another after fixing it.
  return { job_id: queue.enqueue(WEBHOOK_JOB, payload, { maxAttempts: 1 }).id };
}
