import type { Engine } from '../engine';
import type { JobHandler, JobQueue, JobScheduleSpec } from '../jobs/types';
import { deliverWebhook, WEBHOOK_TIMEOUT_MS } from './deliver-webhook';
import { evaluateAlerts } from './evaluate-alerts';
import { WEBHOOK_JOB, WEBHOOK_MAX_ATTEMPTS } from './notify-webhooks';

export const EVALUATE_JOB = 'alerts.evaluate';

/** The alert jobs, enqueueing notifications on the process's queue (`queueOf`). */
export function alertJobHandlers(queueOf: (engine: Engine) => Pick<JobQueue, 'enqueue'>): JobHandler[] {
  return [
    // The next evaluation is a minute away: a failed one is not retried.
    { kind: EVALUATE_JOB, maxAttempts: 1, run: async ({ engine }) => ({ rules: evaluateAlerts(engine, queueOf(engine)).length }) },
    { kind: WEBHOOK_JOB, maxAttempts: WEBHOOK_MAX_ATTEMPTS, leaseMs: 3 * WEBHOOK_TIMEOUT_MS, run: (ctx) => deliverWebhook(ctx) },
  ];
}

export const ALERT_SCHEDULES: JobScheduleSpec[] = [{ name: EVALUATE_JOB, cron: '* * * * *', kind: EVALUATE_JOB }];
