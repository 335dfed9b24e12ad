import { randomBytes } from 'node:crypto';
import { count, desc, eq } from 'drizzle-orm';
import { webhookDeliveries, webhooks, type WebhookRow } from '@/db/schema';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import type { Severity } from './alert-stat';

export type WebhookView = {
  id: number;
  name: string;
  url: string;
  min_severity: Severity;
  enabled: boolean;
  created_by: string;
  created_at: number;
  /** The newest attempt, so a list can show whether the endpoint answers. */
  last_delivery: { status_code: number | null; error: string | null; at: number } | null;
};

export type WebhookDeliveryView = {
  id: number;
  webhook_id: number;
  alert_event_id: number | null;
  job_id: number | null;
  attempt: number;
  /** The event name from the body sent: firing, resolved or test. */
  event: string | null;
  status_code: number | null;
  response: string | null;
  error: string | null;
  duration_ms: number | null;
  at: number;
};

function webhookRow(engine: Engine, id: number): WebhookRow {
  const row = engine.db.select().from(webhooks).where(eq(webhooks.id, id)).get();
  if (!row) throw new AppError('WEBHOOK_NOT_FOUND', `no webhook ${id}`);
  return row;
}

/** The row, secret included: only the delivery job reads this. */
export const webhookForDelivery = (engine: Engine, id: number): WebhookRow | undefined =>
  engine.db.select().from(webhooks).where(eq(webhooks.id, id)).get();

function toView(engine: Engine, r: WebhookRow): WebhookView {
  const last = engine.db
    .select({ status_code: webhookDeliveries.statusCode, error: webhookDeliveries.error, at: webhookDeliveries.at })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.webhookId, r.id))
    .orderBy(desc(webhookDeliveries.id))
    .limit(1)
    .get();
  return {
    id: r.id,
    name: r.name,
    url: r.url,
    min_severity: r.minSeverity,
    enabled: r.enabled,
    created_by: r.createdBy,
    created_at: r.createdAt,
    last_delivery: last ?? null,
  };
}

export function assertWebhookUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('INVALID_INPUT', 'the webhook URL is not a URL', { field: 'url' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new AppError('INVALID_INPUT', 'webhook URLs are http:// or https://', { field: 'url' });
}

/** The secret is generated here and returned this once; no later read returns it. */
export function createWebhook(
  engine: Engine,
  actor: Actor,
  input: { name: string; url: string; min_severity: Severity },
): { webhook: WebhookView; secret: string } {
  assertWebhookUrl(input.url);
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  const row = engine.db
    .insert(webhooks)
    .values({ name: input.name, url: input.url, secret, minSeverity: input.min_severity, enabled: true, createdBy: actor.name, createdAt: engine.now() })
    .returning()
    .get();
  return { webhook: toView(engine, row), secret };
}

/**
 * A webhook URL as far as its host: many receivers (Slack, Teams) carry their credential in the
 * path or query, and a URL may hold user:password. This is what the audit log and readers
 * without ManageAlerts see.
 */
export function webhookOrigin(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '(not a URL)';
  }
}

/** `fullUrls`: the whole URL (for those who manage webhooks), else only its origin. */
export function listWebhooks(engine: Engine, fullUrls = true): WebhookView[] {
  return engine.db
    .select()
    .from(webhooks)
    .orderBy(webhooks.name, webhooks.id)
    .all()
    .map((r) => toView(engine, r))
    .map((v) => (fullUrls ? v : { ...v, url: webhookOrigin(v.url) }));
}

export function getWebhook(engine: Engine, id: number): WebhookView {
  return toView(engine, webhookRow(engine, id));
}

/** Its deliveries go with it; queued notifications to it are dropped when they run. */
export function deleteWebhook(engine: Engine, id: number): void {
  webhookRow(engine, id);
  engine.db.delete(webhooks).where(eq(webhooks.id, id)).run();
}

const eventOf = (body: string): string | null => {
  try {
    return (JSON.parse(body) as { event?: string }).event ?? null;
  } catch {
    return null;
  }
};

/** Newest first. */
export function listDeliveries(
  engine: Engine,
  webhookId: number,
  page: number,
  perPage: number,
): { total: number; deliveries: WebhookDeliveryView[] } {
  webhookRow(engine, webhookId);
  const where = eq(webhookDeliveries.webhookId, webhookId);
  const total = engine.db.select({ n: count() }).from(webhookDeliveries).where(where).get()!.n;
  const rows = engine.db
    .select()
    .from(webhookDeliveries)
    .where(where)
    .orderBy(desc(webhookDeliveries.at), desc(webhookDeliveries.id))
    .limit(perPage)
    .offset((page - 1) * perPage)
    .all();
  return {
    total,
    deliveries: rows.map((r) => ({
      id: r.id,
      webhook_id: r.webhookId,
      alert_event_id: r.alertEventId,
      job_id: r.jobId,
      attempt: r.attempt,
      event: eventOf(r.body),
      status_code: r.statusCode,
      response: r.response,
      error: r.error,
      duration_ms: r.durationMs,
      at: r.at,
    })),
  };
}
