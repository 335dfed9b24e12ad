import { pruneLoginAttempts } from '@/lib/engine/access/login';
import { deleteExpiredSessions } from '@/lib/engine/access/sessions';
import type { Engine } from '@/lib/engine/engine';
import { jobBacklog } from '@/lib/engine/jobs/list-jobs';
import { pruneJobs } from '@/lib/engine/jobs/manage-jobs';
import type { JobHandler, JobScheduleSpec } from '@/lib/engine/jobs/types';
import { SERIES } from '@/lib/engine/metrics/metric-event';
import { pruneMetricEvents } from '@/lib/engine/metrics/prune-events';
import { recordGauge } from '@/lib/engine/metrics/record';
import { collectGarbage } from '@/lib/engine/registry';
import { expireUploads } from './uploads/expire-uploads';

/** Bytes the registry stores: each distinct blob once (versions sharing a digest share a blob). */
export function storedBytes(engine: Engine): number {
  const row = engine.db.$client
    .prepare('SELECT coalesce(sum(size), 0) AS bytes FROM (SELECT max(size) AS size FROM versions GROUP BY digest)')
    .get() as { bytes: number };
  return row.bytes;
}

/** Sample the gauges the dashboards chart: storage used and jobs waiting. */
export function sampleGauges(engine: Engine): { storageBytes: number; jobBacklog: number } {
  const sample = { storageBytes: storedBytes(engine), jobBacklog: jobBacklog(engine) };
  recordGauge(engine, SERIES.storageBytes, sample.storageBytes);
  recordGauge(engine, SERIES.jobBacklog, sample.jobBacklog);
  return sample;
}

export const HOUSEKEEPING_HANDLERS: JobHandler[] = [
  { kind: 'housekeeping.gc', leaseMs: 10 * 60_000, maxAttempts: 3, run: ({ engine }) => collectGarbage(engine) },
  {
    kind: 'housekeeping.sessions',
    maxAttempts: 3,
    run: async ({ engine }) => ({ sessions: deleteExpiredSessions(engine), loginAttempts: pruneLoginAttempts(engine) }),
  },
  { kind: 'housekeeping.uploads', leaseMs: 5 * 60_000, maxAttempts: 3, run: async ({ engine }) => ({ removed: await expireUploads(engine) }) },
  { kind: 'metrics.prune', leaseMs: 5 * 60_000, maxAttempts: 3, run: async ({ engine }) => ({ removed: pruneMetricEvents(engine) }) },
  { kind: 'jobs.prune', maxAttempts: 3, run: async ({ engine }) => ({ removed: pruneJobs(engine) }) },
  // A missed sample is not worth retrying: the next one comes a minute later.
  { kind: 'metrics.sample', maxAttempts: 1, run: async ({ engine }) => sampleGauges(engine) },
];

/** Cron in UTC; staggered minutes so the hourly jobs do not all start at once. */
export const HOUSEKEEPING_SCHEDULES: JobScheduleSpec[] = [
  { name: 'housekeeping.gc', cron: '7 * * * *', kind: 'housekeeping.gc' },
  { name: 'housekeeping.sessions', cron: '17 * * * *', kind: 'housekeeping.sessions' },
  { name: 'housekeeping.uploads', cron: '27 * * * *', kind: 'housekeeping.uploads' },
  { name: 'metrics.prune', cron: '37 * * * *', kind: 'metrics.prune' },
  { name: 'jobs.prune', cron: '47 3 * * *', kind: 'jobs.prune' },
  { name: 'metrics.sample', cron: '* * * * *', kind: 'metrics.sample' },
];
