import type { Engine } from '../../engine';
import { AppError } from '../../errors';
import { toJobView, type JobView } from '../../jobs/job-view';
import { getJob, listJobs } from '../../jobs/list-jobs';
import type { JobState } from '../../jobs/types';
import { BACKUP_JOBS } from '../types';

export type BackupJobKind = (typeof BACKUP_JOBS)[keyof typeof BACKUP_JOBS];
export const BACKUP_JOB_KINDS = Object.values(BACKUP_JOBS) as [BackupJobKind, ...BackupJobKind[]];
/** The family the list filters on; the single-job read checks the same prefix. */
const BACKUP_FAMILY = 'backup.*';
const isBackupKind = (kind: string): boolean => kind.startsWith(BACKUP_FAMILY.slice(0, -1));

/**
 * The backup jobs, newest first, for holders of ManageBackups (who may lack ManageJobs): the
 * same page shape as GET /api/v1/jobs, only ever kinds `backup.*`.
 */
export function listBackupJobViews(engine: Engine, f: { state?: JobState; kind?: BackupJobKind; page: number; perPage: number }) {
  const { total, page, perPage, jobs } = listJobs(engine, { state: f.state, kind: f.kind ?? BACKUP_FAMILY, page: f.page, perPage: f.perPage });
  return { total, page, per_page: perPage, jobs: jobs.map(toJobView) };
}

/** One backup job; any other kind is reported exactly as a job that does not exist. */
export function getBackupJobView(engine: Engine, id: number): JobView {
  let job;
  try {
    job = getJob(engine, id);
  } catch (err) {
    if (err instanceof AppError && err.code === 'JOB_NOT_FOUND') throw new AppError('JOB_NOT_FOUND', `Backup job ${id} does not exist`);
    throw err;
  }
  if (!isBackupKind(job.kind)) throw new AppError('JOB_NOT_FOUND', `Backup job ${id} does not exist`);
  return toJobView(job);
}
