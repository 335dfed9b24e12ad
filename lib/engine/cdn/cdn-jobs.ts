import type { Engine } from '../engine';
import type { JobHandler, JobQueue, JobScheduleSpec } from '../jobs/types';
import { collectEdgeStats } from './collect-edge-stats';
import { EDGE_TIMEOUT_MS } from './edge-client';
import { CDN_PURGE_JOB, CDN_PURGE_MAX_ATTEMPTS, runPurgeJob, sweepRecentChangePurges } from './purge-edge';

export const CDN_COLLECT_JOB = 'cdn.collect';
export const DEFAULT_COLLECT_INTERVAL_S = 15;

/**
 * The collection's cron (croner's optional seconds field first): every N seconds for N < 60,
 * else every whole number of minutes. TORSH_CDN_COLLECT_INTERVAL_S, default 15.
 */
export function collectCron(env: Record<string, string | undefined> = process.env): string {
  const raw = Number(env.TORSH_CDN_COLLECT_INTERVAL_S);
  const s = Number.isInteger(raw) && raw > 0 ? raw : DEFAULT_COLLECT_INTERVAL_S;
  if (s < 60) return `*/${s} * * * * *`;
  return `0 */${Math.min(59, Math.round(s / 60))} * * * *`;
}

/** The CDN jobs; purges swept up by a collection go on the process's queue (`queueOf`). */
export function cdnJobHandlers(queueOf: (engine: Engine) => Pick<JobQueue, 'enqueue'>): JobHandler[] {
  return [
    {
      kind: CDN_COLLECT_JOB,
      // The next collection is seconds away: a failed one is not retried.
      maxAttempts: 1,
      leaseMs: 4 * EDGE_TIMEOUT_MS,
      run: async ({ engine, signal }) => {
        const edges = await collectEdgeStats(engine, signal);
        const purges = sweepRecentChangePurges(engine, queueOf(engine));
        return { edges: edges.length, failed: edges.filter((e) => !e.ok).length, purges_enqueued: purges };
      },
    },
    { kind: CDN_PURGE_JOB, maxAttempts: CDN_PURGE_MAX_ATTEMPTS, leaseMs: 4 * EDGE_TIMEOUT_MS, run: (ctx) => runPurgeJob(ctx) },
  ];
}

export function cdnSchedules(env: Record<string, string | undefined> = process.env): JobScheduleSpec[] {
  return [{ name: CDN_COLLECT_JOB, cron: collectCron(env), kind: CDN_COLLECT_JOB }];
}
