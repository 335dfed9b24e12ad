import { DataTable } from '@/components/tables/data-table';
import { TD } from '@/components/tables/table-styles';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import type { AlertEvent } from '@/lib/queries/use-alerts';
import { SEVERITY_TONE } from './alert-units';

const KIND_TONE: Record<AlertEvent['kind'], BadgeTone> = { firing: 'danger', resolved: 'success', acknowledged: 'info', silenced: 'neutral' };

/** Firing, resolved, acknowledged and silenced, newest first. */
export function AlertHistoryTable({ events }: { events: AlertEvent[] }) {
  return (
    <DataTable columns={['When', 'Event', 'Rule', 'Severity', 'Details']}>
      {events.map((e) => (
        <tr key={e.id} className="align-top hover:bg-slate-50">
          <td className={`${TD} whitespace-nowrap text-slate-600`}>
            <RelativeTime ms={e.at} />
          </td>
          <td className={TD}>
            <Badge tone={KIND_TONE[e.kind]}>{e.kind}</Badge>
          </td>
          <th scope="row" className={`${TD} text-left font-semibold`}>
            {e.rule}
          </th>
          <td className={TD}>
            <Badge tone={SEVERITY_TONE[e.severity]}>{e.severity}</Badge>
          </td>
          <td className={`${TD} text-slate-700`}>{e.message}</td>
        </tr>
      ))}
    </DataTable>
  );
}
