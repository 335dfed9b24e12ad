import { count, eq } from 'drizzle-orm';
import { webhookDeliveries } from '@/db/schema';
import type { Engine } from '../engine';
import type { JobContext } from '../jobs/types';
import type { WebhookJobPayload } from './notify-webhooks';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from './webhook-signature';
import { webhookForDelivery } from './webhooks';

export const WEBHOOK_TIMEOUT_MS = 10_000;
/** The part of a receiver's answer kept with the delivery (and the most of it read). */
export const RESPONSE_KEEP_BYTES = 2048;

/** Read at most `limit` bytes of a body, then stop the download. */
async function readCapped(res: Response, limit: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

const attemptOf = (engine: Engine, jobId: number) =>
  engine.db.select({ n: count() }).from(webhookDeliveries).where(eq(webhookDeliveries.jobId, jobId)).get()!.n + 1;

/**
 * One attempt to POST a notification: signed with the webhook's secret, bounded in time and in
 * how much of the answer is read, recorded as a delivery whatever happens. Anything but a 2xx
 * throws, so the queue retries with its backoff until the job's attempts run out.
 */
export async function deliverWebhook(ctx: Pick<JobContext, 'engine' | 'job' | 'signal'>): Promise<{ status: number } | { skipped: string }> {
  const { engine, job } = ctx;
  const payload = job.payload as WebhookJobPayload;
  const hook = webhookForDelivery(engine, payload.webhook_id);
  if (!hook) return { skipped: 'the webhook was deleted' };
  if (!hook.enabled) return { skipped: 'the webhook is disabled' };
  const timestamp = String(engine.now());
  const started = performance.now();
  let statusCode: number | null = null;
  let response: string | null = null;
  let error: string | null = null;
  try {
    const res = await fetch(hook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'torsh-hub-webhooks/1',
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: signWebhook(hook.secret, timestamp, payload.body),
      },
      body: payload.body,
      // A redirect is the receiver's misconfiguration, not somewhere to send the alert.
      redirect: 'manual',
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(WEBHOOK_TIMEOUT_MS)]),
    });
    statusCode = res.status;
    response = await readCapped(res, RESPONSE_KEEP_BYTES);
    if (res.status < 200 || res.status >= 300) error = `the receiver answered HTTP ${res.status}`;
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    error = e.name === 'TimeoutError' ? `no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s` : (e.cause?.message ?? e.cause?.code ?? e.message);
  }
  engine.db
    .insert(webhookDeliveries)
    .values({
      webhookId: hook.id,
      alertEventId: payload.alert_event_id,
      jobId: job.id,
      attempt: attemptOf(engine, job.id),
      body: payload.body,
      statusCode,
      response,
      error,
      durationMs: Math.round(performance.now() - started),
      at: engine.now(),
    })
    .run();
  if (error) throw new Error(error);
  return { status: statusCode! };
}
