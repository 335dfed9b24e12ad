import { ProgressBar } from '@/components/ui/progress-bar';
import type { JobView } from '@/lib/queries/use-jobs';
import { formatCount } from '@/lib/ui/format-count';

/** A running job's reported progress: a bar when it knows its total, else the count done. */
export function JobProgress({ job }: { job: JobView }) {
  const p = job.progress;
  if (!p) return <span className="text-xs text-slate-500">no progress reported</span>;
  const label = `Progress of ${job.kind} job #${job.id}`;
  return (
    <div className="min-w-40 space-y-1">
      {p.total ? <ProgressBar value={(p.done / p.total) * 100} label={label} /> : null}
      <p className="text-xs text-slate-600 tabular-nums">
        {formatCount(p.done)}
        {p.total ? ` of ${formatCount(p.total)}` : ' done'}
        {p.message ? ` · ${p.message}` : ''}
      </p>
    </div>
  );
}
