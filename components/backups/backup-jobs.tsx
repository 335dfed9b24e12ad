'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { cancelJobAction, retryJobAction } from '@/app/(dashboard)/admin/jobs/actions';
import { ConfirmDialog } from '@/components/forms/confirm-dialog';
import { JobTable } from '@/components/jobs/job-table';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Pagination } from '@/components/ui/pagination';
import { backupsKey, useBackupJobs } from '@/lib/queries/use-backups';
import { jobsKey, type JobView } from '@/lib/queries/use-jobs';
import { hasPermission, useMe } from '@/lib/queries/use-me';
import { BACKUP_JOBS } from '@/lib/engine/backup/types';
import { INPUT_CLASSES } from '@/components/forms/text-field';
import { unwrapAction } from '@/lib/ui/unwrap-action';

const PER_PAGE = 10;
/** The select's value for every backup kind (the API's default when `kind` is left out). */
export const BACKUP_KINDS = '';
const KIND_HELP: Record<string, string> = {
  [BACKUP_JOBS.create]: 'create: take a snapshot (scheduled or Back up now)',
  [BACKUP_JOBS.verify]: 'verify: check structure or read every chunk',
  [BACKUP_JOBS.restore]: 'restore: a package version into the registry, or the registry into a directory',
  [BACKUP_JOBS.forget]: 'forget: remove the snapshots a policy lets go (then prune)',
  [BACKUP_JOBS.prune]: 'prune: delete chunks no snapshot references',
};

/**
 * The backup jobs (GET /api/v1/backups/jobs: ManageBackups, as the page). Retry and cancel are the
 * Jobs page's actions (ManageJobs): shown only to those who hold it.
 */
export function BackupJobs() {
  const [kind, setKind] = useState(BACKUP_KINDS);
  const [page, setPage] = useState(1);
  const jobs = useBackupJobs({ state: '', kind, page, perPage: PER_PAGE });
  const me = useMe();
  const canManage = hasPermission(me.data?.user, 'ManageJobs');
  const queryClient = useQueryClient();
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: [...backupsKey, 'jobs'] }), queryClient.invalidateQueries({ queryKey: jobsKey })]);
  const retry = useMutation({
    mutationFn: (job: JobView) => unwrapAction(retryJobAction({ jobId: job.id })),
    onSuccess: refresh,
  });
  const [cancelling, setCancelling] = useState<JobView | null>(null);
  const cancel = useMutation({
    mutationFn: (job: JobView) => unwrapAction(cancelJobAction({ jobId: job.id })),
    onSuccess: async () => {
      await refresh();
      setCancelling(null);
    },
  });
  return (
    <section aria-labelledby="backup-jobs-heading" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 id="backup-jobs-heading" className="text-lg font-semibold text-slate-900">
            Backup jobs
          </h2>
          <p className="text-sm text-slate-600">{KIND_HELP[kind] ?? 'Backups, verifies, restores, forgets and prunes, newest first.'}</p>
        </div>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          Kind
          <select
            value={kind}
            onChange={(e) => {
              setKind(e.target.value);
              setPage(1);
            }}
            className={`w-44 ${INPUT_CLASSES}`}
          >
            <option value={BACKUP_KINDS}>all backup jobs</option>
            {Object.values(BACKUP_JOBS).map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
      </div>
      {jobs.error && !jobs.data ? (
        <ErrorState title="Could not load the backup jobs" error={jobs.error} />
      ) : !jobs.data ? (
        <p className="text-sm text-slate-600">Loading jobs…</p>
      ) : jobs.data.total === 0 ? (
        <EmptyState title="No backup jobs yet">Back up now, Verify, Restore and Apply start one; a repository with a schedule starts its backups on it.</EmptyState>
      ) : (
        <>
          {retry.error && <ErrorState title="Could not retry the job" error={retry.error} />}
          {canManage ? (
            <JobTable jobs={jobs.data.jobs} retrying={retry.isPending ? (retry.variables?.id ?? null) : null} onRetry={(j) => retry.mutate(j)} onCancel={setCancelling} />
          ) : (
            <>
              <JobTable jobs={jobs.data.jobs} retrying={null} />
              {me.data && <p className="text-xs text-slate-500">Retrying or cancelling a job needs ManageJobs (the Jobs page).</p>}
            </>
          )}
          <Pagination page={page} perPage={PER_PAGE} total={jobs.data.total} shown={jobs.data.jobs.length} onPageChange={setPage} />
        </>
      )}
      <ConfirmDialog
        open={cancelling !== null}
        title={`Cancel job #${cancelling?.id ?? ''}?`}
        confirmLabel="Cancel job"
        pending={cancel.isPending}
        error={cancel.error}
        errorTitle="Could not cancel the job"
        onConfirm={() => cancelling && cancel.mutate(cancelling)}
        onClose={() => {
          cancel.reset();
          setCancelling(null);
        }}
      >
        {cancelling && (
          <>
            <p>
              The <code className="font-mono text-xs">{cancelling.kind}</code> job will not run again unless retried. A backup stopped midway leaves no snapshot; the chunks it wrote are reused by the next one or removed by prune.
            </p>
            {cancelling.state === 'running' && <p>It is running now: its worker stops it at its next heartbeat, and whatever it did so far stays done.</p>}
          </>
        )}
      </ConfirmDialog>
    </section>
  );
}
