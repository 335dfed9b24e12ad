'use client';

import { AreaJobs } from '@/components/jobs/area-jobs';
import { BACKUP_JOBS } from '@/lib/engine/backup/types';
import { backupsKey, useBackupJobs } from '@/lib/queries/use-backups';
import { jobsKey } from '@/lib/queries/use-jobs';
import { hasPermission, useMe } from '@/lib/queries/use-me';

/** The select's value for every backup kind (the API's default when `kind` is left out). */
export const BACKUP_KINDS = '';
const KIND_HELP: Record<string, string> = {
  [BACKUP_JOBS.create]: 'create: take a snapshot (scheduled or Back up now)',
  [BACKUP_JOBS.verify]: 'verify: check structure or read every chunk',
  [BACKUP_JOBS.restore]: 'restore: a package version into the registry, or the registry into a directory',
  [BACKUP_JOBS.forget]: 'forget: remove the snapshots a policy lets go (then prune)',
  [BACKUP_JOBS.prune]: 'prune: delete chunks no snapshot references',
};
const INVALIDATE = [[...backupsKey, 'jobs'], jobsKey];

/**
 * The backup jobs (GET /api/v1/backups/jobs: ManageBackups, as the page). Retry and cancel are the
 * Jobs page's actions (ManageJobs): shown only to those who hold it.
 */
export function BackupJobs() {
  const me = useMe();
  return (
    <AreaJobs
      title="Backup jobs"
      headingId="backup-jobs-heading"
      allKinds={{ value: BACKUP_KINDS, label: 'all backup jobs' }}
      kinds={Object.values(BACKUP_JOBS)}
      kindHelp={KIND_HELP}
      summary="Backups, verifies, restores, forgets and prunes, newest first."
      useList={useBackupJobs}
      invalidate={INVALIDATE}
      canManage={hasPermission(me.data?.user, 'ManageJobs')}
      manageNote={me.data && <p className="text-xs text-slate-500">Retrying or cancelling a job needs ManageJobs (the Jobs page).</p>}
      empty="Back up now, Verify, Restore and Apply start one; a repository with a schedule starts its backups on it."
      cancelNote=". A backup stopped midway leaves no snapshot; the chunks it wrote are reused by the next one or removed by prune."
    />
  );
}
