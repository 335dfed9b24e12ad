import { Badge, type BadgeTone } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { DataTable } from './data-table';
import { TD } from './table-styles';
import type { AuditEvent, AuditResult } from '@/lib/queries/use-audit';

const RESULT_TONE: Record<AuditResult, BadgeTone> = { ok: 'success', denied: 'warning', error: 'danger' };

export function AuditTable({ events }: { events: AuditEvent[] }) {
  return (
    <DataTable columns={['Time', 'Actor', 'Action', 'Target', 'Result', 'Error code', 'Address']}>
      {events.map((event) => (
        <tr key={event.id} className="align-top hover:bg-slate-50">
          <td className={`${TD} whitespace-nowrap text-slate-600`}>
            <RelativeTime ms={event.created_at} />
          </td>
          <td className={`${TD} font-medium`}>{event.actor}</td>
          <td className={`${TD} whitespace-nowrap`}>
            <code className="font-mono text-xs">{event.action}</code>
          </td>
          <td className={`${TD} max-w-xs font-mono text-xs break-all`}>{event.target ?? <span className="font-sans text-slate-400">—</span>}</td>
          <td className={TD}>
            <Badge tone={RESULT_TONE[event.result] ?? 'neutral'}>{event.result}</Badge>
          </td>
          <td className={TD}>
            {event.error_code ? <code className="font-mono text-xs text-red-700">{event.error_code}</code> : <span className="text-slate-400">—</span>}
          </td>
          <td className={`${TD} font-mono text-xs whitespace-nowrap text-slate-600`}>{event.client_addr ?? '—'}</td>
        </tr>
      ))}
    </DataTable>
  );
}
