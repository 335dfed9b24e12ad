'use client';

import { formatMs } from '@/components/charts/format-units';
import { DataTable } from '@/components/tables/data-table';
import { TD } from '@/components/tables/table-styles';
import { Button } from '@/components/ui/button';
import { ProgressBar } from '@/components/ui/progress-bar';
import { RelativeTime } from '@/components/ui/relative-time';
import type { NodeView } from '@/lib/queries/use-replication';
import { backendSummary, backlogText, lagText, usagePercent, usageText } from './replication-format';
import { NodeStateBadge } from './node-state-badge';

type NodesTableProps = { nodes: NodeView[]; onRemove: (node: NodeView) => void };

/** Every node with its state (red row when unhealthy), usage, lag, backlog and last check. */
export function NodesTable({ nodes, onRemove }: NodesTableProps) {
  return (
    <DataTable
      columns={[
        'Node',
        'State',
        'Used / capacity',
        { label: 'Lag', align: 'right' },
        { label: 'Backlog', align: 'right' },
        { label: 'Latency', align: 'right' },
        { label: 'Priority', align: 'right' },
        'Last check',
        { label: 'Actions', srOnly: true },
      ]}
    >
      {nodes.map((n) => {
        const backend = backendSummary(n.backend);
        const pct = usagePercent(n.used_bytes, n.capacity_bytes);
        return (
          <tr key={n.id} aria-label={`Node ${n.id}`} data-node-id={n.id} className={n.state === 'unhealthy' ? 'bg-red-50/60 align-top' : 'align-top'}>
            <td className={TD}>
              <p className="font-mono text-sm font-medium text-slate-900">{n.id}</p>
              <p className="text-xs text-slate-600">{n.region}</p>
              <p className="font-mono text-xs break-all text-slate-600" title={backend.detail ?? undefined}>
                {backend.label}
              </p>
              {backend.detail && <p className="text-xs text-slate-500">{backend.detail}</p>}
              {n.last_error && <p className="mt-0.5 text-xs break-words text-red-700">{n.last_error}</p>}
            </td>
            <td className={TD}>
              <NodeStateBadge state={n.state} />
            </td>
            <td className={`${TD} min-w-44`}>
              <p className="text-xs text-slate-800 tabular-nums" data-used-bytes={n.used_bytes}>
                {usageText(n.used_bytes, n.capacity_bytes)}
              </p>
              {pct !== null && (
                <div className="mt-1">
                  <ProgressBar value={pct} label={`Capacity used on ${n.id}`} />
                </div>
              )}
            </td>
            <td className={`${TD} text-right whitespace-nowrap tabular-nums`} title="Age of the oldest operation not yet durable on this node (0 when caught up)">
              {lagText(n.lag_ms)}
            </td>
            <td className={`${TD} text-right whitespace-nowrap tabular-nums`}>{backlogText(n.backlog_ops, n.backlog_bytes)}</td>
            <td className={`${TD} text-right whitespace-nowrap tabular-nums`}>{n.last_latency_ms === null ? '—' : formatMs(n.last_latency_ms)}</td>
            <td className={`${TD} text-right tabular-nums`}>{n.priority}</td>
            <td className={`${TD} whitespace-nowrap`}>{n.last_check_at ? <RelativeTime ms={n.last_check_at} /> : 'never'}</td>
            <td className={`${TD} text-right whitespace-nowrap`}>
              <Button size="sm" variant="danger-outline" onClick={() => onRemove(n)} aria-label={`Remove node ${n.id}`}>
                Remove
              </Button>
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
