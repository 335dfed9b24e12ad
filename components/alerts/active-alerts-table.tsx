import { DataTable } from '@/components/tables/data-table';
import { TD } from '@/components/tables/table-styles';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { RelativeTime } from '@/components/ui/relative-time';
import type { AlertRule } from '@/lib/queries/use-alerts';
import { formatSpan } from '@/lib/ui/time-range';
import { SEVERITY_TONE, comparator, formatStat } from './alert-units';

type ActiveAlertsTableProps = {
  alerts: AlertRule[];
  canManage: boolean;
  onAck: (rule: AlertRule) => void;
  onSilence: (rule: AlertRule) => void;
};

/** Firing and pending alerts: what is wrong, by how much, since when, and who is on it. */
export function ActiveAlertsTable({ alerts, canManage, onAck, onSilence }: ActiveAlertsTableProps) {
  const now = Date.now();
  return (
    <DataTable columns={['Severity', 'Alert', 'Value', 'State', 'Since', 'Handled', canManage && { label: 'Actions', align: 'right', srOnly: true }]}>
      {alerts.map((a) => {
        const state = a.state!;
        const silenced = a.silenced_until !== null && a.silenced_until > now;
        return (
          <tr key={a.id} className="align-top hover:bg-slate-50" data-testid={`active-alert-${a.id}`}>
            <td className={TD}>
              <Badge tone={SEVERITY_TONE[a.severity]}>{a.severity}</Badge>
            </td>
            <th scope="row" className={`${TD} text-left`}>
              <span className="font-semibold">{a.name}</span>
              <span className="block text-xs font-normal text-slate-600">
                {a.stat} of {a.series}
                {a.dim && ` [${a.dim}]`} over {formatSpan(a.window_ms)}
              </span>
            </th>
            <td className={`${TD} whitespace-nowrap tabular-nums`}>
              <span className="font-medium">{formatStat(state.last_value, a.series, a.stat)}</span>
              <span className="text-slate-600">
                {' '}
                ({comparator(a.kind)} {formatStat(a.threshold, a.series, a.stat)})
              </span>
            </td>
            <td className={TD}>
              <Badge tone={state.state === 'firing' ? 'danger' : 'warning'}>{state.state}</Badge>
            </td>
            <td className={`${TD} whitespace-nowrap text-slate-600`}>
              <RelativeTime ms={state.since} />
            </td>
            <td className={`${TD} text-slate-600`}>
              {state.acknowledged_by ? (
                <span>
                  Acknowledged by {state.acknowledged_by} <RelativeTime ms={state.acknowledged_at!} />
                </span>
              ) : (
                '—'
              )}
              {silenced && (
                <span className="block text-xs">
                  Silenced until <RelativeTime ms={a.silenced_until!} />
                </span>
              )}
            </td>
            {canManage && (
              <td className={`${TD} text-right whitespace-nowrap`}>
                <span className="inline-flex gap-2">
                  {state.state === 'firing' && !state.acknowledged_by && (
                    <Button size="sm" onClick={() => onAck(a)} aria-label={`Acknowledge ${a.name}`}>
                      Acknowledge
                    </Button>
                  )}
                  <Button size="sm" onClick={() => onSilence(a)} aria-label={`Silence ${a.name}`}>
                    {silenced ? 'Silence…' : 'Silence'}
                  </Button>
                </span>
              </td>
            )}
          </tr>
        );
      })}
    </DataTable>
  );
}
