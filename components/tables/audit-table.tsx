import { Badge, type BadgeTone } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { TABLE, TABLE_WRAPPER, TD, TH, THEAD } from './table-styles';
import type { AuditEvent, AuditResult } from '@/lib/queries/use-audit';

const RESULT_TONE: Record<AuditResult, BadgeTone> = { ok: 'success', denied: 'warning', error: 'danger' };

export function AuditTable({ events }: { events: AuditEvent[] }) {
  return (
    <div className={TABLE_WRAPPER}>
      <table className={TABLE}>
        <thead className={THEAD}>
          <tr>
            <th scope="col" className={TH}>Time</th>
            <th scope="col" className={TH}>Actor</th>
            <th scope="col" className={TH}>Action</th>
            <th scope="col" className={TH}>Target</th>
            <th scope="col" className={TH}>Result</th>
            <th scope="col" className={TH}>Error code</th>
            <th scope="col" className={TH}>Address</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
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
        </tbody>
      </table>
    </div>
  );
}
