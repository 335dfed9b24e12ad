'use client';

import { useMutation, useQueryClient, type QueryKey, type UseQueryResult } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { cancelJobAction, retryJobAction } from '@/app/(dashboard)/admin/jobs/actions';
import { ConfirmDialog } from '@/components/forms/confirm-dialog';
import { INPUT_CLASSES } from '@/components/forms/text-field';
import { JobTable } from '@/components/jobs/job-table';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Pagination } from '@/components/ui/pagination';
import { ApiError } from '@/lib/queries/api-error';
import type { JobList, JobsParams, JobView } from '@/lib/queries/use-jobs';
import { unwrapAction } from '@/lib/ui/unwrap-action';

const PER_PAGE = 10;

type Props = {
  /** "Backup jobs": the heading; the error and empty titles are made from it. */
  title: string;
  headingId: string;
  /** The select's first option: every kind of the area (the list's default filter). */
  allKinds: { value: string; label: string };
  kinds: string[];
  /** The line under the heading for the chosen kind; `summary` for all of them. */
  kindHelp: Record<string, string>;
  summary: string;
  /** The area's job list query (a stable hook). */
  useList: (params: JobsParams) => UseQueryResult<JobList>;
  /** Query prefixes to invalidate after a retry or a cancel. */
  invalidate: QueryKey[];
  /** Retry and cancel are the Jobs page's actions (ManageJobs): shown only when true. */
  canManage: boolean;
  /** Shown under a read-only table. */
  manageNote?: ReactNode;
  /** Shown instead of the table when the list answers 403. */
  forbiddenNote?: string;
  empty: ReactNode;
  /** Follows "The <kind> job will not run again unless retried" in the cancel confirmation. */
  cancelNote: string;
};

/** One area's jobs (backups, replication): a kind filter, the job table, retry and cancel. */
export function AreaJobs({ title, headingId, allKinds, kinds, kindHelp, summary, useList, invalidate, canManage, manageNote, forbiddenNote, empty, cancelNote }: Props) {
  const [kind, setKind] = useState(allKinds.value);
  const [page, setPage] = useState(1);
  const jobs = useList({ state: '', kind, page, perPage: PER_PAGE });
  const queryClient = useQueryClient();
  const refresh = () => Promise.all(invalidate.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
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
  const forbidden = forbiddenNote !== undefined && jobs.error instanceof ApiError && jobs.error.status === 403;
  const lower = title.toLowerCase();
  return (
    <section aria-labelledby={headingId} className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 id={headingId} className="text-lg font-semibold text-slate-900">
            {title}
          </h2>
          <p className="text-sm text-slate-600">{kindHelp[kind] ?? summary}</p>
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
            <option value={allKinds.value}>{allKinds.label}</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
      </div>
      {forbidden ? (
        <p className="text-sm text-slate-600">{forbiddenNote}</p>
      ) : jobs.error && !jobs.data ? (
        <ErrorState title={`Could not load the ${lower}`} error={jobs.error} />
      ) : !jobs.data ? (
        <p className="text-sm text-slate-600">Loading jobs…</p>
      ) : jobs.data.total === 0 ? (
        <EmptyState title={`No ${lower} yet`}>{empty}</EmptyState>
      ) : (
        <>
          {retry.error && <ErrorState title="Could not retry the job" error={retry.error} />}
          {canManage ? (
            <JobTable jobs={jobs.data.jobs} retrying={retry.isPending ? (retry.variables?.id ?? null) : null} onRetry={(j) => retry.mutate(j)} onCancel={setCancelling} />
          ) : (
            <>
              <JobTable jobs={jobs.data.jobs} retrying={null} />
              {manageNote}
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
              The <code className="font-mono text-xs">{cancelling.kind}</code> job will not run again unless retried{cancelNote}
            </p>
            {cancelling.state === 'running' && <p>It is running now: its worker stops it at its next heartbeat, and whatever it did so far stays done.</p>}
          </>
        )}
      </ConfirmDialog>
    </section>
  );
}
