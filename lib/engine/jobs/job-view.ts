import type { JobSchedule } from './schedules';
import type { Job, JobProgress, JobState } from './types';

/** A job as the API and the Jobs page show it (snake_case, times in ms since the epoch). */
export type JobView = {
  id: number;
  kind: string;
  state: JobState;
  payload: unknown;
  attempts: number;
  max_attempts: number;
  run_at: number;
  lease_until: number | null;
  worker_id: string | null;
  progress: JobProgress | null;
  last_error: string | null;
  /** What the job returned when it succeeded (e.g. a backup verify's report); null otherwise. */
  result: unknown;
  idempotency_key: string | null;
  schedule_name: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
};

export type JobScheduleView = { name: string; kind: string; cron: string; enabled: boolean; next_run_at: number; last_run_at: number | null; last_job_id: number | null };

export function toJobView(j: Job): JobView {
  return {
    id: j.id,
    kind: j.kind,
    state: j.state,
    payload: j.payload,
    attempts: j.attempts,
    max_attempts: j.maxAttempts,
    run_at: j.runAt,
    lease_until: j.leaseUntil,
    worker_id: j.workerId,
    progress: j.progress,
    last_error: j.lastError,
    result: j.result ?? null,
    idempotency_key: j.idempotencyKey,
    schedule_name: j.scheduleName,
    created_at: j.createdAt,
    started_at: j.startedAt,
    finished_at: j.finishedAt,
  };
}

export function toScheduleView(s: JobSchedule): JobScheduleView {
  return { name: s.name, kind: s.kind, cron: s.cron, enabled: s.enabled, next_run_at: s.nextRunAt, last_run_at: s.lastRunAt, last_job_id: s.lastJobId };
}
