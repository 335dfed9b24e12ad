import type { Job, JobProgress, JobState } from './types';

/** A `jobs` row as better-sqlite3 returns it (snake_case columns). */
export type RawJobRow = {
  id: number;
  kind: string;
  payload: string;
  state: JobState;
  priority: number;
  attempts: number;
  max_attempts: number;
  run_at: number;
  lease_until: number | null;
  heartbeat_at: number | null;
  worker_id: string | null;
  progress: string | null;
  last_error: string | null;
  result: string | null;
  idempotency_key: string | null;
  schedule_name: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
};

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function toJob(r: RawJobRow): Job {
  return {
    id: r.id,
    kind: r.kind,
    payload: parseJson(r.payload),
    state: r.state,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    runAt: r.run_at,
    leaseUntil: r.lease_until,
    workerId: r.worker_id,
    progress: parseJson(r.progress) as JobProgress | null,
    lastError: r.last_error,
    result: parseJson(r.result),
    idempotencyKey: r.idempotency_key,
    scheduleName: r.schedule_name,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}
