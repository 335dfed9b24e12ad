'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { useEffect, useState, type ReactNode } from 'react';
import { cancelJobAction, retryJobAction } from '@/app/(dashboard)/admin/jobs/actions';
import { QueryErrorState } from '@/components/auth/query-error-state';
import { ConfirmDialog } from '@/components/forms/confirm-dialog';
import { INPUT_CLASSES } from '@/components/forms/text-field';
import { TableSkeleton } from '@/components/tables/table-skeleton';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Pagination } from '@/components/ui/pagination';
import { jobsKey, useJobs, useJobSummary, type JobState, type JobView } from '@/lib/queries/use-jobs';
import { unwrapAction } from '@/lib/ui/unwrap-action';
import { toPage } from '@/lib/ui/use-url-search';
import { JobDepthTable } from './job-depth-table';
import { JobScheduleTable } from './job-schedule-table';
import { JOB_STATE_HELP, JOB_STATE_ORDER } from './job-state-badge';
import { JobTable } from './job-table';

const PER_PAGE = 25;
const PATH = '/admin/jobs';

function jobsHref(state: string, kind: string, page: number): string {
  const params = new URLSearchParams();
  if (state) params.set('state', state);
  if (kind) params.set('kind', kind);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `${PATH}?${query}` : PATH;
}

function Section({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  const id = `jobs-${title.toLowerCase().replaceAll(' ', '-')}`;
  return (
    <section aria-labelledby={id} className="space-y-3">
      <div>
        <h2 id={id} className="text-base font-semibold text-slate-900">
          {title}
        </h2>
        {description && <p className="text-sm text-slate-600">{description}</p>}
      </div>
      {children}
    </section>
  );
}

/** "Updated 4 s ago", ticking each second, from react-query's last successful fetch. */
function UpdatedAgo({ at }: { at: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  if (!at) return null;
  return (
    <p className="text-xs text-slate-500" aria-live="off">
      Updated {Math.max(0, Math.round((now - at) / 1_000))} s ago · refreshes every 3 s
    </p>
  );
}

/** The Jobs page: depth by kind and state, running jobs, schedules, and every job with filters. */
export function JobsAdmin() {
  const searchParams = useSearchParams();
  const stateParam = searchParams.get('state') ?? '';
  const state = (JOB_STATE_ORDER as string[]).includes(stateParam) ? (stateParam as JobState) : '';
  const kind = searchParams.get('kind') ?? '';
  const page = toPage(searchParams.get('page'));
  const go = (next: { state?: string; kind?: string; page?: number }, push = false) => {
    const href = jobsHref(next.state ?? state, next.kind ?? kind, next.page ?? 1);
    if (push) window.history.pushState(null, '', href);
    else window.history.replaceState(null, '', href);
  };

  const summary = useJobSummary();
  const forbidden = summary.error !== null && !summary.data;
  const running = useJobs({ state: 'running', kind: '', page: 1, perPage: 100 }, { enabled: !forbidden });
  const jobs = useJobs({ state, kind, page, perPage: PER_PAGE }, { enabled: !forbidden });

  const queryClient = useQueryClient();
  const [cancelling, setCancelling] = useState<JobView | null>(null);
  const retry = useMutation({
    mutationFn: (job: JobView) => unwrapAction(retryJobAction({ jobId: job.id })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: jobsKey }),
  });
  const cancel = useMutation({
    mutationFn: (job: JobView) => unwrapAction(cancelJobAction({ jobId: job.id })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: jobsKey });
      setCancelling(null);
    },
  });

  if (summary.isPending) return <TableSkeleton label="Loading jobs…" columns={7} />;
  if (!summary.data) return <QueryErrorState error={summary.error} title="Could not load jobs" forbidden="You do not have permission to manage jobs" />;

  const { depth, schedules } = summary.data;
  const kinds = [...new Set([...depth.map((d) => d.kind), ...(kind ? [kind] : [])])].sort();
  const filtered = state !== '' || kind !== '';

  return (
    <div className="space-y-8">
      <UpdatedAgo at={Math.max(summary.dataUpdatedAt, jobs.dataUpdatedAt)} />

      <Section title="Queue depth" description="Jobs per kind and state. Select a count to list those jobs.">
        {depth.length === 0 ? (
          <EmptyState title="No jobs yet">
            Jobs appear here when something enqueues them: the schedules below (garbage collection and clean-ups hourly, metric
            samples every minute) and, later, mirror syncs, replication, backups and alert notifications.
          </EmptyState>
        ) : (
          <JobDepthTable depth={depth} onPick={(k, s) => go({ kind: k, state: s })} />
        )}
      </Section>

      <Section title="Running now" description="Jobs held by a worker, with the progress their handler reports.">
        {running.data && running.data.jobs.length === 0 && <p className="text-sm text-slate-600">Nothing is running right now.</p>}
        {running.data && running.data.jobs.length > 0 && (
          <JobTable jobs={running.data.jobs} retrying={null} onRetry={() => {}} onCancel={(job) => (cancel.reset(), setCancelling(job))} />
        )}
        {running.error && <ErrorState title="Could not load running jobs" error={running.error} />}
      </Section>

      <Section title="Jobs" description="Newest first. Failed jobs are retried with exponential backoff; dead ones keep their last error until retried.">
        <form
          aria-label="Job filters"
          onSubmit={(event) => event.preventDefault()}
          className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
        >
          <label className="grid gap-1 text-sm font-medium text-slate-700">
            State
            <select value={state} onChange={(event) => go({ state: event.target.value })} className={INPUT_CLASSES}>
              <option value="">All states</option>
              {JOB_STATE_ORDER.map((s) => (
                <option key={s} value={s}>
                  {s} — {JOB_STATE_HELP[s]}
                </option>
              ))}
            </select>
          </label>
          <label className="grid gap-1 text-sm font-medium text-slate-700">
            Kind
            <select value={kind} onChange={(event) => go({ kind: event.target.value })} className={INPUT_CLASSES}>
              <option value="">All kinds</option>
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          {filtered && <Button onClick={() => go({ state: '', kind: '' })}>Clear filters</Button>}
        </form>

        {retry.error && <ErrorState title="Could not retry the job" error={retry.error} />}
        {jobs.error && !jobs.data && <ErrorState title="Could not load jobs" error={jobs.error} />}
        {!jobs.data && !jobs.error && <TableSkeleton label="Loading jobs…" columns={7} />}
        {jobs.data && jobs.data.total === 0 && !filtered && (
          <EmptyState title="No jobs yet">Jobs are listed here once enqueued; the first scheduled ones arrive within a minute of the server starting.</EmptyState>
        )}
        {jobs.data && jobs.data.total === 0 && filtered && (
          <EmptyState title={`No ${state || ''} ${kind || ''} jobs`.replace(/\s+/g, ' ')} action={<Button onClick={() => go({ state: '', kind: '' })}>Clear filters</Button>}>
            Finished jobs are kept for a while (TORSH_JOBS_RETENTION_DAYS), then pruned.
          </EmptyState>
        )}
        {jobs.data && jobs.data.total > 0 && jobs.data.jobs.length === 0 && (
          <EmptyState title={`Page ${page} is past the last job`} action={<Button onClick={() => go({ page: 1 })}>Go to the first page</Button>} />
        )}
        {jobs.data && jobs.data.jobs.length > 0 && (
          <>
            <JobTable
              jobs={jobs.data.jobs}
              retrying={retry.isPending ? (retry.variables?.id ?? null) : null}
              onRetry={(job) => retry.mutate(job)}
              onCancel={(job) => (cancel.reset(), setCancelling(job))}
            />
            <Pagination page={jobs.data.page} perPage={jobs.data.per_page} total={jobs.data.total} shown={jobs.data.jobs.length} onPageChange={(p) => go({ page: p }, true)} />
          </>
        )}
      </Section>

      <Section title="Schedules" description="Recurring jobs. Each due run is enqueued once, even with several servers on one database.">
        {schedules.length === 0 ? (
          <EmptyState title="No schedules yet">The server creates its schedules when its job worker starts.</EmptyState>
        ) : (
          <JobScheduleTable schedules={schedules} />
        )}
      </Section>

      <ConfirmDialog
        open={cancelling !== null}
        title={cancelling ? `Cancel job #${cancelling.id}?` : 'Cancel job'}
        confirmLabel="Cancel job"
        pending={cancel.isPending}
        error={cancel.error}
        errorTitle="Could not cancel the job"
        onConfirm={() => cancelling && cancel.mutate(cancelling)}
        onClose={() => setCancelling(null)}
      >
        {cancelling && (
          <>
            <p>
              The <code className="font-mono text-xs">{cancelling.kind}</code> job will not run again unless retried.
            </p>
            {cancelling.state === 'running' && <p>It is running now: its worker stops it at its next heartbeat, and whatever it did so far stays done.</p>}
          </>
        )}
      </ConfirmDialog>
    </div>
  );
}
