import { ALERT_SCHEDULES, alertJobHandlers } from '@/lib/engine/alerts/alert-jobs';
import { BACKUP_JOB_HANDLERS } from '@/lib/engine/backup/server/backup-jobs';
import { syncBackupSchedules } from '@/lib/engine/backup/server/backup-schedules';
import { cdnJobHandlers, cdnSchedules } from '@/lib/engine/cdn/cdn-jobs';
import type { Engine } from '@/lib/engine/engine';
import { createSqliteQueue } from '@/lib/engine/jobs/sqlite-queue';
import type { EnqueueOptions, JobHandler, JobQueue, JobScheduleSpec } from '@/lib/engine/jobs/types';
import { startWorker, type Worker } from '@/lib/engine/jobs/worker';
import { MIRROR_JOB_HANDLERS, mirrorSchedules } from '@/lib/engine/mirrors/mirror-jobs';
import { REPLICATION_JOB_HANDLERS, replicationSchedules } from '@/lib/engine/replication/replication-jobs';
import { HOUSEKEEPING_HANDLERS, HOUSEKEEPING_SCHEDULES } from './housekeeping-jobs';
import { log } from './log';

/** Every job kind this process can run. Areas add their handlers here (alerts, mirrors, backups…). */
export const JOB_HANDLERS: JobHandler[] = [...HOUSEKEEPING_HANDLERS, ...alertJobHandlers(jobQueue), ...cdnJobHandlers(jobQueue), ...MIRROR_JOB_HANDLERS, ...REPLICATION_JOB_HANDLERS, ...BACKUP_JOB_HANDLERS];

/** Recurring jobs, created or updated when the worker starts. */
export const JOB_SCHEDULES: JobScheduleSpec[] = [...HOUSEKEEPING_SCHEDULES, ...ALERT_SCHEDULES, ...cdnSchedules(), ...mirrorSchedules(), ...replicationSchedules()];

const holder = globalThis as unknown as { __torshJobWorker?: Worker };

/** The process's queue (SQLite on the engine's database; the one place to swap in PostgreSQL). */
export function jobQueue(engine: Engine): JobQueue {
  return createSqliteQueue(engine);
}

/** Enqueue a job with its handler's attempt limit unless the caller gives one. */
export function enqueueJob(engine: Engine, kind: string, payload: unknown, opts: EnqueueOptions = {}): { id: number; created: boolean } {
  const handler = JOB_HANDLERS.find((h) => h.kind === kind);
  return jobQueue(engine).enqueue(kind, payload, { maxAttempts: handler?.maxAttempts, ...opts });
}

/** The in-process worker runs unless TORSH_JOBS_WORKER=0 (e.g. a separate worker process), and never during `next build`. */
export function jobWorkerEnabled(env: Record<string, string | undefined> = process.env): boolean {
  return env.TORSH_JOBS_WORKER !== '0' && env.NEXT_PHASE !== 'phase-production-build';
}

/** Start the process's worker once (getEngine() calls this for the engine it creates). */
export function startJobWorker(engine: Engine): Worker | null {
  if (holder.__torshJobWorker) return holder.__torshJobWorker;
  if (!jobWorkerEnabled()) return null;
  // Each backup repository's schedule lives with its row (saved by the repository's routes); this catches up rows changed elsewhere.
  try {
    syncBackupSchedules(engine);
  } catch (err) {
    log('error', 'backup schedules could not be synced', err);
  }
  holder.__torshJobWorker = startWorker(engine, JOB_HANDLERS, {
    schedules: JOB_SCHEDULES,
    concurrency: Number(process.env.TORSH_JOBS_CONCURRENCY) || 2,
    onError: (err) => log('error', 'job worker failed', err),
    onJobError: (job, err) => log('warn', 'job failed', err, { kind: job.kind, job: job.id, attempt: job.attempts, maxAttempts: job.maxAttempts }),
  });
  return holder.__torshJobWorker;
}

/** Stop the process's worker, waiting for its running jobs (shutdown, tests). */
export async function stopJobWorker(): Promise<void> {
  const worker = holder.__torshJobWorker;
  holder.__torshJobWorker = undefined;
  await worker?.stop();
}
