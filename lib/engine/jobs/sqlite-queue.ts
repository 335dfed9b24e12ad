import type { Engine } from '../engine';
import { backoffMs, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { toJob, type RawJobRow } from './job-row';
import { upsertSchedule } from './schedules';
import type { EnqueueOptions, JobProgress, JobQueue } from './types';

export const DEFAULT_MAX_ATTEMPTS = 5;
/** Error messages are kept this long at most (a stack trace must not bloat the table). */
export const MAX_ERROR_CHARS = 2_000;

export type SqliteQueueOptions = { backoff?: Partial<BackoffOptions> };

function toJson(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

/**
 * The job queue on the engine's SQLite database. Every time comes from engine.now(), so tests
 * move a clock instead of sleeping. A claim is one UPDATE … WHERE id = (SELECT …) RETURNING: the
 * database picks and takes the job in one statement, so two workers never hold the same job.
 */
export function createSqliteQueue(engine: Engine, opts: SqliteQueueOptions = {}): JobQueue {
  const sqlite = engine.db.$client;
  const backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };

  const enqueue: JobQueue['enqueue'] = (kind, payload, o: EnqueueOptions = {}) => {
    const now = engine.now();
    const inserted = sqlite
      .prepare(
        `INSERT INTO jobs (kind, payload, state, priority, attempts, max_attempts, run_at, idempotency_key, created_at)
         VALUES (?, ?, 'queued', ?, 0, ?, ?, ?, ?)
         ON CONFLICT(idempotency_key) DO NOTHING RETURNING id`,
      )
      .get(kind, toJson(payload), o.priority ?? 0, Math.max(1, o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS), o.runAt ?? now, o.idempotencyKey ?? null, now) as
      | { id: number }
      | undefined;
    if (inserted) return { id: inserted.id, created: true };
    const first = sqlite.prepare('SELECT id FROM jobs WHERE idempotency_key = ?').get(o.idempotencyKey) as { id: number };
    return { id: first.id, created: false };
  };

  const claim = sqlite.transaction((workerId: string, kinds: readonly string[], leaseMs: number) => {
    if (kinds.length === 0) return null;
    const now = engine.now();
    const inKinds = kinds.map(() => '?').join(', ');
    // A lease that ran out on the last attempt: the worker died with it, nothing is left to retry.
    sqlite
      .prepare(
        `UPDATE jobs SET state = 'dead', finished_at = ?, lease_until = NULL,
           last_error = 'lease expired: worker ' || coalesce(worker_id, '?') || ' stopped heartbeating on the last attempt'
         WHERE state = 'running' AND lease_until < ? AND attempts >= max_attempts AND kind IN (${inKinds})`,
      )
      .run(now, now, ...kinds);
    const row = sqlite
      .prepare(
        `UPDATE jobs SET
           last_error = CASE WHEN state = 'running'
             THEN 'lease expired: worker ' || coalesce(worker_id, '?') || ' stopped heartbeating' ELSE last_error END,
           state = 'running', attempts = attempts + 1, worker_id = ?, lease_until = ?, heartbeat_at = ?,
           started_at = ?, progress = NULL
         WHERE id = (
           SELECT id FROM jobs
           WHERE kind IN (${inKinds})
             AND ((state IN ('queued', 'failed') AND run_at <= ?) OR (state = 'running' AND lease_until < ?))
           ORDER BY priority DESC, run_at, id LIMIT 1)
         RETURNING *`,
      )
      .get(workerId, now + leaseMs, now, now, ...kinds, now, now) as RawJobRow | undefined;
    return row ? toJob(row) : null;
  });

  const heartbeat: JobQueue['heartbeat'] = (jobId, workerId, leaseMs, progress?: JobProgress) => {
    const now = engine.now();
    return (
      sqlite
        .prepare(
          `UPDATE jobs SET lease_until = ?, heartbeat_at = ?, progress = coalesce(?, progress)
           WHERE id = ? AND worker_id = ? AND state = 'running'`,
        )
        .run(now + leaseMs, now, progress ? JSON.stringify(progress) : null, jobId, workerId).changes === 1
    );
  };

  const complete: JobQueue['complete'] = (jobId, workerId, result) =>
    sqlite
      .prepare(
        `UPDATE jobs SET state = 'succeeded', finished_at = ?, lease_until = NULL, result = ?
         WHERE id = ? AND worker_id = ? AND state = 'running'`,
      )
      .run(engine.now(), toJson(result), jobId, workerId).changes === 1;

  const fail = sqlite.transaction((jobId: number, workerId: string, error: string): boolean => {
    const job = sqlite
      .prepare(`SELECT attempts, max_attempts FROM jobs WHERE id = ? AND worker_id = ? AND state = 'running'`)
      .get(jobId, workerId) as { attempts: number; max_attempts: number } | undefined;
    if (!job) return false;
    const now = engine.now();
    const message = error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS - 1)}…` : error;
    if (job.attempts >= job.max_attempts) {
      sqlite
        .prepare(`UPDATE jobs SET state = 'dead', last_error = ?, finished_at = ?, lease_until = NULL WHERE id = ?`)
        .run(message, now, jobId);
    } else {
      sqlite
        .prepare(`UPDATE jobs SET state = 'failed', last_error = ?, run_at = ?, lease_until = NULL WHERE id = ?`)
        .run(message, now + backoffMs(job.attempts, backoff), jobId);
    }
    return true;
  });

  return {
    enqueue,
    claim: (workerId, kinds, leaseMs) => claim.immediate(workerId, kinds, leaseMs),
    heartbeat,
    complete,
    fail: (jobId, workerId, error) => fail.immediate(jobId, workerId, error),
    schedule: (name, cron, kind, payload) => upsertSchedule(engine, { name, cron, kind, payload }),
  };
}
