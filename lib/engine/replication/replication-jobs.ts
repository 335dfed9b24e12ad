import type { Engine } from '../engine';
import type { JobHandler, JobScheduleSpec } from '../jobs/types';
import { applyReplica } from './apply-replica';
import { CHECK_JOB_HANDLER, checkNodesSchedule } from './check-nodes';
import { SCRUB_JOB_HANDLER, scrubSchedules } from './scrub-nodes';
import type { ApplyPayload } from './replica-rows';
import { APPLY_MAX_ATTEMPTS } from './replica-rows';
import { syncReplicas } from './sync-replicas';
import { REPLICATION_JOBS } from './types';

/** Succeeded sync runs kept this long (one every few seconds would bury other jobs); failed ones stay. */
const SYNC_JOB_RETENTION_MS = 3_600_000;

/** How often the sync job looks (it acts once per sync_interval_secs). */
export const SYNC_TICK_CRON = '*/5 * * * * *';

export function pruneSyncJobs(engine: Engine): number {
  return engine.db.$client
    .prepare(`DELETE FROM jobs WHERE kind = ? AND state = 'succeeded' AND finished_at < ?`)
    .run(REPLICATION_JOBS.sync, engine.now() - SYNC_JOB_RETENTION_MS).changes;
}

/** The jobs of the publish path: apply (one node, one row) and sync (re-enqueue, re-place, sweep). */
export const PUBLISH_JOB_HANDLERS: JobHandler[] = [
  {
    kind: REPLICATION_JOBS.apply,
    maxAttempts: APPLY_MAX_ATTEMPTS,
    // Short, heartbeated lease: after a crash another worker (or the restarted one) takes the job over quickly.
    leaseMs: 15_000,
    run: ({ engine, job, signal }) => applyReplica(engine, job.payload as ApplyPayload, signal),
  },
  {
    kind: REPLICATION_JOBS.sync,
    // The next run is seconds away: a failed one is not retried.
    maxAttempts: 1,
    // A scheduled run acts once per sync_interval_secs; one enqueued for a node or config change (enqueue-sync.ts) acts now.
    run: async ({ engine, job }) => {
      const result = await syncReplicas(engine, { force: job.scheduleName === null });
      return { ...result, pruned_jobs: result.acted ? pruneSyncJobs(engine) : 0 };
    },
  },
];

/** Every replication job kind (lib/server/jobs.ts registers these). */
export const REPLICATION_JOB_HANDLERS: JobHandler[] = [CHECK_JOB_HANDLER, SCRUB_JOB_HANDLER, ...PUBLISH_JOB_HANDLERS];

export function replicationSchedules(env: Record<string, string | undefined> = process.env): JobScheduleSpec[] {
  return [{ name: REPLICATION_JOBS.sync, cron: SYNC_TICK_CRON, kind: REPLICATION_JOBS.sync }, checkNodesSchedule(env), ...scrubSchedules(env)];
}
