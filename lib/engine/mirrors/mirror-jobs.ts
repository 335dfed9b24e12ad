import type { Engine } from '../engine';
import type { JobHandler, JobScheduleSpec } from '../jobs/types';
import { checkMirrors } from './check-mirrors';
import { mirrorCheckConfig } from './mirror-config';

export const MIRROR_CHECK_JOB = 'mirrors.check';

/** Succeeded check runs kept this long on the Jobs page: every check is in the mirror's own history already. */
const CHECK_JOB_RETENTION_MS = 3_600_000;

/**
 * A check runs every few seconds (~8,600 runs a day): its succeeded job rows go after an hour
 * instead of the queue's 14 days, so they do not bury other jobs. Failed and dead runs stay.
 */
export function pruneCheckJobs(engine: Engine): number {
  return engine.db.$client
    .prepare(`DELETE FROM jobs WHERE kind = ? AND state = 'succeeded' AND finished_at < ?`)
    .run(MIRROR_CHECK_JOB, engine.now() - CHECK_JOB_RETENTION_MS).changes;
}

export const MIRROR_JOB_HANDLERS: JobHandler[] = [
  // A missed check is not retried: the next one is seconds away.
  { kind: MIRROR_CHECK_JOB, maxAttempts: 1, leaseMs: 60_000, run: async ({ engine }) => ({ ...(await checkMirrors(engine)), prunedJobs: pruneCheckJobs(engine) }) },
];

/** Every TORSH_MIRROR_CHECK_INTERVAL_S seconds (croner's six-field form: seconds first). */
export function mirrorSchedules(env: Record<string, string | undefined> = process.env): JobScheduleSpec[] {
  return [{ name: MIRROR_CHECK_JOB, cron: `*/${mirrorCheckConfig(env).intervalS} * * * * *`, kind: MIRROR_CHECK_JOB }];
}
