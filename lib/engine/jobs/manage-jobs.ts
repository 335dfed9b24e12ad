import type { Engine } from '../engine';
import { AppError } from '../errors';
import { getJob } from './list-jobs';
import type { Job } from './types';

const DAY_MS = 86_400_000;

/** Run a dead, failed or cancelled job again now, with its attempts reset. */
export function retryJob(engine: Engine, id: number): Job {
  const changed = engine.db.$client
    .prepare(
      `UPDATE jobs SET state = 'queued', attempts = 0, run_at = ?, lease_until = NULL, worker_id = NULL,
         finished_at = NULL, progress = NULL
       WHERE id = ? AND state IN ('dead', 'failed', 'cancelled')`,
    )
    .run(engine.now(), id).changes;
  if (changed === 0) {
    const job = getJob(engine, id);
    throw new AppError('JOB_STATE_INVALID', `Job ${id} is ${job.state}: only dead, failed or cancelled jobs can be retried`);
  }
  return getJob(engine, id);
}

/**
 * Cancel a job that has not finished. A running one keeps running until its next heartbeat,
 * which fails and aborts the handler's signal; its complete() or fail() is then refused.
 */
export function cancelJob(engine: Engine, id: number): Job {
  const changed = engine.db.$client
    .prepare(
      `UPDATE jobs SET state = 'cancelled', finished_at = ?, lease_until = NULL
       WHERE id = ? AND state IN ('queued', 'failed', 'running')`,
    )
    .run(engine.now(), id).changes;
  if (changed === 0) {
    const job = getJob(engine, id);
    throw new AppError('JOB_STATE_INVALID', `Job ${id} is ${job.state}: only queued, failed or running jobs can be cancelled`);
  }
  return getJob(engine, id);
}

/** How long finished jobs are kept (TORSH_JOBS_RETENTION_DAYS, default 14). */
export function jobRetentionMs(env: NodeJS.ProcessEnv = process.env): number {
  const days = Number(env.TORSH_JOBS_RETENTION_DAYS ?? 14);
  return (Number.isFinite(days) && days > 0 ? days : 14) * DAY_MS;
}

/** Delete succeeded, dead and cancelled jobs that finished before the retention; returns how many. */
export function pruneJobs(engine: Engine, retentionMs = jobRetentionMs()): number {
  return engine.db.$client
    .prepare(`DELETE FROM jobs WHERE state IN ('succeeded', 'dead', 'cancelled') AND finished_at < ?`)
    .run(engine.now() - retentionMs).changes;
}
