import { DataTable } from '@/components/tables/data-table';
import { TD } from '@/components/tables/table-styles';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { RelativeTime } from '@/components/ui/relative-time';
import { formatMs } from '@/components/charts/format-units';
import type { AlertRule } from '@/lib/queries/use-alerts';
import { formatSpan } from '@/lib/ui/time-range';
import { SEVERITY_TONE, comparator, formatStat } from './alert-units';

type RulesTableProps = { rules: AlertRule[]; canManage: boolean; onEdit: (rule: AlertRule) => void; onDelete: (rule: AlertRule) => void };

export function RulesTable({ rules, canManage, onEdit, onDelete }: RulesTableProps) {
  const now = Date.now();
  return (
    <DataTable columns={['Rule', 'Condition', 'For', 'Severity', 'State', canManage && { label: 'Actions', align: 'right', srOnly: true }]}>
      {rules.map((r) => (
        <tr key={r.id} className={`align-top ${r.enabled ? 'hover:bg-slate-50' : 'bg-slate-50/70 text-slate-500'}`}>
          <th scope="row" className={`${TD} text-left font-semibold`}>
            {r.name}
          </th>
          <td className={`${TD} whitespace-nowrap`}>
            {r.stat} of <code className="font-mono text-xs">{r.series}</code>
            {r.dim && <code className="font-mono text-xs"> [{r.dim}]</code>} over {formatSpan(r.window_ms)} {comparator(r.kind)}{' '}
            {formatStat(r.threshold, r.series, r.stat)}
          </td>
          <td className={`${TD} whitespace-nowrap`}>{r.for_ms === 0 ? 'at once' : formatMs(r.for_ms)}</td>
          <td className={TD}>
            <Badge tone={SEVERITY_TONE[r.severity]}>{r.severity}</Badge>
          </td>
          <td className={TD}>
            {!r.enabled ? <Badge>disabled</Badge> : <Badge tone={r.state?.state === 'firing' ? 'danger' : r.state?.state === 'pending' ? 'warning' : 'success'}>{r.state?.state ?? 'not evaluated yet'}</Badge>}
            {r.silenced_until !== null && r.silenced_until > now && (
              <span className="block text-xs text-slate-600">
                silenced until <RelativeTime ms={r.silenced_until} />
              </span>
            )}
          </td>
          {canManage && (
            <td className={`${TD} text-right whitespace-nowrap`}>
              <span className="inline-flex gap-2">
                <Button size="sm" onClick={() => onEdit(r)} aria-label={`Edit ${r.name}`}>
                  Edit
                </Button>
                <Button size="sm" variant="danger-outline" onClick={() => onDelete(r)} aria-label={`Delete ${r.name}`}>
                  Delete
                </Button>
              </span>
            </td>
          )}
        </tr>
      ))}
    </DataTable>
  );
}
