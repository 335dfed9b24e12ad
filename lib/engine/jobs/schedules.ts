import { Cron } from 'croner';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import type { EnqueueOptions, JobQueue, JobScheduleSpec } from './types';

export type JobSchedule = JobScheduleSpec & {
  enabled: boolean;
  nextRunAt: number;
  lastRunAt: number | null;
  lastJobId: number | null;
};

function parseCron(expr: string): Cron {
  try {
    return new Cron(expr, { timezone: 'UTC' });
  } catch (err) {
    throw new AppError('INVALID_INPUT', `Invalid cron expression "${expr}": ${(err as Error).message}`, { field: 'cron' });
  }
}

/** The first time strictly after `fromMs` that the expression matches (UTC). */
export function nextCronRun(expr: string, fromMs: number): number {
  const next = parseCron(expr).nextRun(new Date(fromMs));
  if (!next) throw new AppError('INVALID_INPUT', `Cron expression "${expr}" never fires again`, { field: 'cron' });
  return next.getTime();
}

/**
 * Create or update a schedule. Its next run is kept when the expression is unchanged, so a
 * restart neither skips nor repeats a run.
 */
export function upsertSchedule(engine: Engine, spec: JobScheduleSpec): void {
  const next = nextCronRun(spec.cron, engine.now());
  engine.db.$client
    .prepare(
      `INSERT INTO job_schedules (name, kind, payload, cron, enabled, next_run_at) VALUES (?, ?, ?, ?, 1, ?)
       ON CONFLICT(name) DO UPDATE SET
         next_run_at = CASE WHEN job_schedules.cron = excluded.cron THEN job_schedules.next_run_at ELSE excluded.next_run_at END,
         kind = excluded.kind, payload = excluded.payload, cron = excluded.cron`,
    )
    .run(spec.name, spec.kind, JSON.stringify(spec.payload ?? null), spec.cron, next);
}

type RawSchedule = { name: string; kind: string; payload: string; cron: string; enabled: number; next_run_at: number; last_run_at: number | null; last_job_id: number | null };

export function listSchedules(engine: Engine): JobSchedule[] {
  const rows = engine.db.$client.prepare('SELECT * FROM job_schedules ORDER BY name').all() as RawSchedule[];
  return rows.map((r) => ({
    name: r.name,
    kind: r.kind,
    cron: r.cron,
    payload: JSON.parse(r.payload),
    enabled: r.enabled === 1,
    nextRunAt: r.next_run_at,
    lastRunAt: r.last_run_at,
    lastJobId: r.last_job_id,
  }));
}

/**
 * Enqueue a job for every schedule that is due and move the schedule to its next run after now
 * (a process that was down fires a missed schedule once, not once per missed run). The job's
 * idempotency key names the schedule and the due time, and the schedule only moves from the due
 * time it was read at, so two processes ticking at once (or a crash between the two writes)
 * never enqueue a run twice. Returns the jobs created.
 */
export function runDueSchedules(engine: Engine, queue: JobQueue, optsFor: (kind: string) => EnqueueOptions = () => ({})): number[] {
  const sqlite = engine.db.$client;
  const now = engine.now();
  const due = sqlite.prepare('SELECT * FROM job_schedules WHERE enabled = 1 AND next_run_at <= ? ORDER BY next_run_at').all(now) as RawSchedule[];
  const created: number[] = [];
  for (const s of due) {
    let next: number;
    try {
      next = nextCronRun(s.cron, now);
    } catch {
      sqlite.prepare('UPDATE job_schedules SET enabled = 0 WHERE name = ?').run(s.name);
      continue;
    }
    const fire = sqlite.transaction(() => {
      const job = queue.enqueue(s.kind, JSON.parse(s.payload), { ...optsFor(s.kind), idempotencyKey: `schedule:${s.name}:${s.next_run_at}` });
      if (job.created) {
        sqlite.prepare('UPDATE jobs SET schedule_name = ? WHERE id = ?').run(s.name, job.id);
        created.push(job.id);
      }
      sqlite
        .prepare('UPDATE job_schedules SET next_run_at = ?, last_run_at = ?, last_job_id = ? WHERE name = ? AND next_run_at = ?')
        .run(next, s.next_run_at, job.id, s.name, s.next_run_at);
    });
    fire.immediate();
  }
  return created;
}
