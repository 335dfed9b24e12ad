'use client';

import { DataTable } from '@/components/tables/data-table';
import { TD } from '@/components/tables/table-styles';
import { Button } from '@/components/ui/button';
import { RelativeTime } from '@/components/ui/relative-time';
import { formatMs } from '@/components/charts/format-units';
import { formatBytes } from '@/lib/ui/format-bytes';
import { formatCount } from '@/lib/ui/format-count';
import type { Mirror } from '@/lib/queries/use-mirrors';
import { MirrorStateBadge } from './mirror-state-badge';

type MirrorsTableProps = {
  mirrors: Mirror[];
  flapThreshold?: number;
  onEdit: (m: Mirror) => void;
  onRemove: (m: Mirror) => void;
  onHistory: (m: Mirror) => void;
};

function lagText(m: Mirror): string {
  if (m.lag_changes === null) return '—';
  const changes = `${formatCount(m.lag_changes)} ${m.lag_changes === 1 ? 'change' : 'changes'}`;
  return m.lag_changes > 0 && m.lag_seconds !== null ? `${changes} (${formatMs(m.lag_seconds * 1000)})` : changes;
}

/** Every mirror with its state (red when unhealthy), latency, lag and last check. */
export function MirrorsTable({ mirrors, flapThreshold, onEdit, onRemove, onHistory }: MirrorsTableProps) {
  return (
    <DataTable
      columns={[
        'Mirror',
        'State',
        { label: 'Latency', align: 'right' },
        { label: 'Lag', align: 'right' },
        { label: 'Load', align: 'right' },
        { label: 'Held', align: 'right' },
        { label: 'Priority / weight', align: 'right' },
        'Last check',
        { label: 'Actions', srOnly: true },
      ]}
    >
      {mirrors.map((m) => (
        <tr key={m.id} aria-label={`Mirror ${m.url}`} data-mirror-id={m.id} className={m.state === 'unhealthy' ? 'bg-red-50/60' : undefined}>
          <td className={TD}>
            <p className="font-mono text-xs break-all text-slate-900">{m.url}</p>
            <p className="text-xs text-slate-600">{m.region}</p>
            {m.last_error && <p className="mt-0.5 text-xs break-words text-red-700">{m.last_error}</p>}
          </td>
          <td className={TD}>
            <MirrorStateBadge mirror={m} threshold={flapThreshold} />
          </td>
          <td className={`${TD} text-right tabular-nums`}>{m.latency_ms === null ? '—' : formatMs(m.latency_ms)}</td>
          <td className={`${TD} text-right tabular-nums`}>{lagText(m)}</td>
          <td className={`${TD} text-right tabular-nums`} title="Requests the mirror is serving">{m.load === null ? '—' : formatCount(m.load)}</td>
          <td className={`${TD} text-right tabular-nums`}>{m.bytes_held === null ? '—' : formatBytes(m.bytes_held)}</td>
          <td className={`${TD} text-right tabular-nums`}>
            {m.priority} / {m.weight}
          </td>
          <td className={`${TD} whitespace-nowrap`}>{m.last_check_at ? <RelativeTime ms={m.last_check_at} /> : 'never'}</td>
          <td className={`${TD} text-right whitespace-nowrap`}>
            <div className="flex justify-end gap-2">
              <Button size="sm" onClick={() => onHistory(m)} aria-label={`Check history of ${m.url}`}>
                History
              </Button>
              <Button size="sm" onClick={() => onEdit(m)} aria-label={`Edit ${m.url}`}>
                Edit
              </Button>
              <Button size="sm" variant="danger-outline" onClick={() => onRemove(m)} aria-label={`Remove ${m.url}`}>
                Remove
              </Button>
            </div>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
