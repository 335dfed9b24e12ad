import type { JobHandler, JobScheduleSpec } from '../jobs/types';
import { checkMirrors } from './check-mirrors';
import { mirrorCheckConfig } from './mirror-config';

export const MIRROR_CHECK_JOB = 'mirrors.check';

export const MIRROR_JOB_HANDLERS: JobHandler[] = [
  // A missed check is not retried: the next one is seconds away.
  { kind: MIRROR_CHECK_JOB, maxAttempts: 1, leaseMs: 60_000, run: ({ engine }) => checkMirrors(engine) },
];

/** Every TORSH_MIRROR_CHECK_INTERVAL_S seconds (croner's six-field form: seconds first). */
export function mirrorSchedules(env: Record<string, string | undefined> = process.env): JobScheduleSpec[] {
  return [{ name: MIRROR_CHECK_JOB, cron: `*/${mirrorCheckConfig(env).intervalS} * * * * *`, kind: MIRROR_CHECK_JOB }];
}
