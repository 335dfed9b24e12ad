'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, type ReactNode } from 'react';
import { JobProgress } from '@/components/jobs/job-progress';
import { JobStateBadge } from '@/components/jobs/job-state-badge';
import { ErrorState } from '@/components/ui/error-state';
import { backupsKey, isJobOver, useWatchedJob } from '@/lib/queries/use-backups';
import type { JobView } from '@/lib/queries/use-jobs';

export type StartedJob = { id: number; kind: string; label: string };

type WatchedJobProps = {
  job: StartedJob;
  /** What to show once it succeeded (a verify report…), from the job's result. */
  children?: (job: JobView) => ReactNode;
};

/**
 * A job this page started, followed live: queued, running with its progress, then its outcome.
 * When it ends, every backups query refreshes (sizes, snapshots, last run).
 */
export function WatchedJob({ job, children }: WatchedJobProps) {
  const watched = useWatchedJob(job);
  const queryClient = useQueryClient();
  const current = watched.data ?? null;
  const over = isJobOver(current);
  const ended = useRef(false);
  useEffect(() => {
    if (over && !ended.current) void queryClient.invalidateQueries({ queryKey: backupsKey });
    ended.current = over;
  }, [over, queryClient]);

  if (watched.error && !current) return <ErrorState title={`Could not follow ${job.label.toLowerCase()} job #${job.id}`} error={watched.error} />;
  return (
    <div role="status" aria-live="polite" className="space-y-2 rounded-md border border-slate-200 bg-slate-50 p-3 text-sm" data-job-id={job.id} data-job-state={current?.state ?? 'queued'}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium text-slate-900">
          {job.label} job #{job.id}
        </span>
        <JobStateBadge state={current?.state ?? 'queued'} />
      </div>
      {current?.state === 'running' && <JobProgress job={current} />}
      {current && current.state !== 'succeeded' && current.last_error && (
        <p className={`text-xs break-words ${current.state === 'failed' ? 'text-amber-800' : 'text-red-700'}`}>
          {current.state === 'failed' ? 'Attempt failed, it will retry: ' : ''}
          {current.last_error}
        </p>
      )}
      {current?.state === 'succeeded' && children?.(current)}
    </div>
  );
}
