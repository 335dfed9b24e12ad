import { DataTable } from '@/components/tables/data-table';
import { TD } from '@/components/tables/table-styles';
import { Button } from '@/components/ui/button';
import { RelativeTime } from '@/components/ui/relative-time';
import type { JobView } from '@/lib/queries/use-jobs';
import { formatDuration } from '@/lib/ui/format-time';
import { JobProgress } from './job-progress';
import { JOB_STATE_HELP, JobStateBadge } from './job-state-badge';

export const canRetry = (job: JobView) => job.state === 'dead' || job.state === 'failed' || job.state === 'cancelled';
export const canCancel = (job: JobView) => job.state === 'queued' || job.state === 'failed' || job.state === 'running';

type Props = {
  jobs: JobView[];
  /** The job whose retry is being sent, if any. */
  retrying: number | null;
  /** Without both handlers (a reader without ManageJobs) the table has no actions column. */
  onRetry?: (job: JobView) => void;
  onCancel?: (job: JobView) => void;
};

function When({ job }: { job: JobView }) {
  if (job.finished_at !== null) {
    const ms = job.started_at !== null ? job.finished_at - job.started_at : null;
    const took = ms === null ? null : ms < 1_000 ? `${ms} ms` : formatDuration(ms / 1_000);
    return (
      <>
        ended <RelativeTime ms={job.finished_at} />
        {took && <span className="text-slate-500"> · took {took}</span>}
      </>
    );
  }
  if (job.state === 'running' && job.started_at !== null) {
    return (
      <>
        started <RelativeTime ms={job.started_at} />
      </>
    );
  }
  return (
    <>
      {job.state === 'failed' ? 'retry ' : 'runs '}
      <RelativeTime ms={job.run_at} />
    </>
  );
}

/** Jobs with their state, attempts, timing, progress or last error, and retry / cancel. */
export function JobTable({ jobs, retrying, onRetry, onCancel }: Props) {
  const actions = onRetry !== undefined || onCancel !== undefined;
  return (
    <DataTable
      columns={['Job', 'Kind', 'State', { label: 'Attempts', align: 'right' }, 'When', 'Progress or last error', ...(actions ? [{ label: 'Actions', srOnly: true }] : [])]}
    >
      {jobs.map((job) => (
        <tr key={job.id} className="align-top hover:bg-slate-50">
          <td className={`${TD} font-mono text-xs whitespace-nowrap`}>#{job.id}</td>
          <td className={`${TD} font-mono text-xs`}>
            {job.kind}
            {job.schedule_name && <div className="font-sans text-slate-500">schedule {job.schedule_name}</div>}
          </td>
          <td className={TD} title={JOB_STATE_HELP[job.state]}>
            <JobStateBadge state={job.state} />
          </td>
          <td className={`${TD} text-right tabular-nums whitespace-nowrap`}>
            {job.attempts} / {job.max_attempts}
          </td>
          <td className={`${TD} text-xs whitespace-nowrap text-slate-600`}>
            <When job={job} />
          </td>
          <td className={`${TD} max-w-md`}>
            {job.state === 'running' ? (
              <JobProgress job={job} />
            ) : job.last_error ? (
              <details>
                <summary className={`cursor-pointer text-xs break-words ${job.state === 'succeeded' ? 'text-slate-500' : 'text-red-700'}`}>
                  {job.last_error.length > 120 ? `${job.last_error.slice(0, 120)}…` : job.last_error}
                </summary>
                <pre className="mt-1 max-h-48 overflow-auto rounded bg-slate-50 p-2 text-xs whitespace-pre-wrap text-slate-800">{job.last_error}</pre>
              </details>
            ) : (
              <span className="text-slate-400">—</span>
            )}
          </td>
          {actions && (
            <td className={`${TD} whitespace-nowrap text-right`}>
              <div className="flex justify-end gap-2">
                {onRetry && canRetry(job) && (
                  <Button size="sm" onClick={() => onRetry(job)} disabled={retrying === job.id} aria-busy={retrying === job.id} aria-label={`Retry job #${job.id}`}>
                    Retry
                  </Button>
                )}
                {onCancel && canCancel(job) && (
                  <Button size="sm" variant="danger-outline" onClick={() => onCancel(job)} aria-label={`Cancel job #${job.id}`}>
                    Cancel
                  </Button>
                )}
              </div>
            </td>
          )}
        </tr>
      ))}
    </DataTable>
  );
}
