import { DataTable } from '@/components/tables/data-table';
import { TD } from '@/components/tables/table-styles';
import type { JobDepth, JobState } from '@/lib/queries/use-jobs';
import { formatCount } from '@/lib/ui/format-count';
import { JOB_STATE_ORDER } from './job-state-badge';

type Props = { depth: JobDepth[]; onPick: (kind: string, state: JobState) => void };

/** Jobs per kind (rows) and state (columns); a count filters the job list below. */
export function JobDepthTable({ depth, onPick }: Props) {
  const kinds = [...new Set(depth.map((d) => d.kind))].sort();
  const count = (kind: string, state: JobState) => depth.find((d) => d.kind === kind && d.state === state)?.count ?? 0;
  return (
    <DataTable columns={['Kind', ...JOB_STATE_ORDER.map((s) => ({ label: s, align: 'right' as const }))]}>
      {kinds.map((kind) => (
        <tr key={kind} className="hover:bg-slate-50">
          <th scope="row" className={`${TD} text-left font-mono text-xs font-normal`}>
            {kind}
          </th>
          {JOB_STATE_ORDER.map((state) => {
            const n = count(kind, state);
            const alarming = n > 0 && (state === 'dead' || state === 'failed');
            return (
              <td key={state} className={`${TD} text-right tabular-nums`}>
                {n === 0 ? (
                  <span className="text-slate-400">0</span>
                ) : (
                  <button
                    type="button"
                    onClick={() => onPick(kind, state)}
                    aria-label={`Show ${formatCount(n)} ${state} ${kind} jobs`}
                    className={`rounded px-1 underline-offset-2 hover:underline ${alarming ? 'font-semibold text-red-700' : 'text-indigo-700'}`}
                  >
                    {formatCount(n)}
                  </button>
                )}
              </td>
            );
          })}
        </tr>
      ))}
    </DataTable>
  );
}
