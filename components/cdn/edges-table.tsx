'use client';

import { DataTable } from '@/components/tables/data-table';
import { TD } from '@/components/tables/table-styles';
import { formatPercent } from '@/components/charts/format-units';
import { Button } from '@/components/ui/button';
import { RelativeTime } from '@/components/ui/relative-time';
import type { Edge } from '@/lib/queries/use-edges';
import { formatCount } from '@/lib/ui/format-count';
import { EdgeStateBadge } from './edge-state-badge';

type EdgesTableProps = {
  edges: Edge[];
  canManage: boolean;
  onPurge: (edge: Edge) => void;
  onEdit: (edge: Edge) => void;
  onRemove: (edge: Edge) => void;
};

/** Registered edges: state, where, what kind, when last collected, and how well they cache. */
export function EdgesTable({ edges, canManage, onPurge, onEdit, onRemove }: EdgesTableProps) {
  return (
    <DataTable
      columns={[
        'Edge',
        'State',
        'Region',
        'Provider',
        'Last collection',
        { label: 'Hit rate (1 h)', align: 'right' },
        { label: 'Requests (1 h)', align: 'right' },
        canManage && { label: 'Actions', srOnly: true },
      ]}
    >
      {edges.map((e) => (
        <tr key={e.id} className="align-top hover:bg-slate-50" aria-label={`Edge ${e.url}`}>
          <td className={`${TD} font-mono text-xs break-all`}>{e.url}</td>
          <td className={TD}>
            <EdgeStateBadge state={e.state} />
            {e.last_error && e.state !== 'healthy' && <p className="mt-1 max-w-xs text-xs break-words text-red-700">{e.last_error}</p>}
          </td>
          <td className={TD}>{e.region}</td>
          <td className={TD}>{e.provider}</td>
          <td className={`${TD} whitespace-nowrap`}>{e.last_check_at ? <RelativeTime ms={e.last_check_at} /> : 'not yet'}</td>
          <td className={`${TD} text-right tabular-nums`}>{e.hit_rate_1h === null ? '—' : formatPercent(e.hit_rate_1h)}</td>
          <td className={`${TD} text-right tabular-nums`}>{formatCount(e.requests_1h)}</td>
          {canManage && (
            <td className={`${TD} text-right whitespace-nowrap`}>
              <div className="flex justify-end gap-2">
                <Button size="sm" onClick={() => onPurge(e)} aria-label={`Purge ${e.url}`}>
                  Purge
                </Button>
                <Button size="sm" onClick={() => onEdit(e)} aria-label={`Edit ${e.url}`}>
                  Edit
                </Button>
                <Button size="sm" variant="danger-outline" onClick={() => onRemove(e)} aria-label={`Remove ${e.url}`}>
                  Remove
                </Button>
              </div>
            </td>
          )}
        </tr>
      ))}
    </DataTable>
  );
}
