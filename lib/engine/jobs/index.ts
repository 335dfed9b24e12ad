export type { Job, JobState, JobProgress, JobQueue, JobHandler, JobContext, JobScheduleSpec, EnqueueOptions } from './types';
export { createSqliteQueue, DEFAULT_MAX_ATTEMPTS, MAX_ERROR_CHARS, type SqliteQueueOptions } from './sqlite-queue';
export { backoffMs, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
export { nextCronRun, upsertSchedule, listSchedules, runDueSchedules, type JobSchedule } from './schedules';
export { startWorker, defaultWorkerId, DEFAULT_LEASE_MS, type Worker, type WorkerOptions } from './worker';
export { listJobs, jobDepth, jobBacklog, getJob, JOB_STATES, MAX_JOBS_PER_PAGE, type JobFilter, type JobPage, type JobDepth } from './list-jobs';
export { retryJob, cancelJob, pruneJobs, jobRetentionMs } from './manage-jobs';
