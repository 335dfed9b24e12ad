import { DataTable } from '@/components/tables/data-table';
import { TD } from '@/components/tables/table-styles';
import { Badge } from '@/components/ui/badge';
import type { ForgetPlanView } from '@/lib/queries/use-backups';
import { formatBytes } from '@/lib/ui/format-bytes';
import { formatCount } from '@/lib/ui/format-count';
import { formatDateTime } from '@/lib/ui/format-time';

/** The dry-run in one line: what goes and what prune really frees after deduplication. */
export function previewSummary(plan: ForgetPlanView): string {
  const total = plan.decisions.length;
  const removed = plan.remove.length;
  if (removed === 0) return `Keeps all ${formatCount(total)} ${total === 1 ? 'snapshot' : 'snapshots'}: nothing to forget.`;
  return `Forgets ${formatCount(removed)} of ${formatCount(total)} ${total === 1 ? 'snapshot' : 'snapshots'}; prune then frees ${formatBytes(plan.freed_bytes)} (${formatCount(
    plan.freed_chunks,
  )} ${plan.freed_chunks === 1 ? 'chunk' : 'chunks'} no kept snapshot shares).`;
}

/** Which snapshots the policy keeps (and why) or forgets, newest first. */
export function RetentionPreview({ plan }: { plan: ForgetPlanView }) {
  const rows = [...plan.decisions].sort((a, b) => b.time - a.time);
  return (
    <div className="space-y-2" role="region" aria-label="Retention preview" data-freed-bytes={plan.freed_bytes} data-remove-count={plan.remove.length}>
      <p className={`text-sm ${plan.remove.length > 0 ? 'font-medium text-amber-900' : 'text-slate-700'}`}>{previewSummary(plan)}</p>
      {rows.length > 0 && (
        <div className="max-h-96 overflow-y-auto">
          <DataTable columns={['Snapshot', 'Time', 'Decision', 'Why it is kept']}>
            {rows.map((d) => (
              <tr key={d.id} aria-label={`Decision for ${d.id.slice(0, 8)}`} data-keep={d.keep} className={d.keep ? '' : 'bg-amber-50/70'}>
                <td className={`${TD} font-mono text-xs`}>{d.id.slice(0, 8)}</td>
                <td className={`${TD} text-xs whitespace-nowrap`}>{formatDateTime(d.time)}</td>
                <td className={TD}>{d.keep ? <Badge tone="success">keep</Badge> : <Badge tone="warning">forget</Badge>}</td>
                <td className={`${TD} text-xs text-slate-700`}>{d.keep ? d.reasons.join(', ') : <span className="text-slate-400">—</span>}</td>
              </tr>
            ))}
          </DataTable>
        </div>
      )}
    </div>
  );
}
