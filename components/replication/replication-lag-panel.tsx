'use client';

import Link from 'next/link';
import { formatMs } from '@/components/charts/format-units';
import { PanelMessage } from '@/components/overview/panel-message';
import { Card } from '@/components/ui/card';
import { hasPermission, useMe } from '@/lib/queries/use-me';
import { useReplicationNodes, useReplicationStats } from '@/lib/queries/use-replication';
import { formatBytes } from '@/lib/ui/format-bytes';
import { byLagDesc, windowLabel } from './replication-format';

const MAX_ROWS = 5;
const PAGE_LINK = (
  <Link href="/replication" className="text-xs font-medium text-indigo-700 hover:underline">
    Replication
  </Link>
);

/**
 * The Overview's replication-lag panel: each node's current lag, worst first, as bars
 * (ManageReplication); the totals of the statistics for ViewStats holders; a note for others.
 */
export function ReplicationLagPanel() {
  const me = useMe();
  const manage = hasPermission(me.data?.user, 'ManageReplication');
  const viewStats = hasPermission(me.data?.user, 'ViewStats');
  const nodes = useReplicationNodes(manage);
  const stats = useReplicationStats(!manage && viewStats);
  return (
    <Card title="Replication lag" actions={manage ? PAGE_LINK : undefined}>
      {manage ? <NodeLagBars nodes={nodes} /> : viewStats ? <StatsSummary stats={stats} /> : (
        <PanelMessage title="Replication">Replication lag is shown to holders of ViewStats or ManageReplication.</PanelMessage>
      )}
    </Card>
  );
}

function NodeLagBars({ nodes }: { nodes: ReturnType<typeof useReplicationNodes> }) {
  if (nodes.error && !nodes.data) return <PanelMessage title="Could not load the nodes">{nodes.error.message}</PanelMessage>;
  if (!nodes.data) return <PanelMessage title="Loading…">Reading node lag.</PanelMessage>;
  const list = byLagDesc(nodes.data.nodes);
  if (list.length === 0) {
    return (
      <PanelMessage title="No replication nodes">
        Add one on the{' '}
        <Link href="/replication" className="text-indigo-700 underline">
          Replication
        </Link>{' '}
        page: each node’s lag behind this origin appears here after its first check.
      </PanelMessage>
    );
  }
  const worst = Math.max(1, ...list.map((n) => n.lag_ms ?? 0));
  const behind = list.filter((n) => n.backlog_ops > 0).length;
  return (
    <div className="px-4 py-3">
      <p className={`mb-2 text-sm font-medium ${behind > 0 ? 'text-amber-800' : 'text-slate-800'}`}>
        {behind === 0 ? `${list.length} ${list.length === 1 ? 'node' : 'nodes'}, all caught up` : `${behind} of ${list.length} nodes behind`}
      </p>
      <ul className="space-y-2 text-sm" aria-label="Current lag per node, worst first">
        {list.slice(0, MAX_ROWS).map((n) => (
          <li key={n.id} data-node-lag={n.id}>
            <div className="flex items-center justify-between gap-2 text-xs">
              <span className="min-w-0 truncate font-mono text-slate-800" title={`${n.id} (${n.region})`}>
                {n.id}
                {n.state !== 'healthy' && <span className={n.state === 'unhealthy' ? 'ml-1 text-red-700' : 'ml-1 text-amber-700'}>{n.state}</span>}
              </span>
              <span className="shrink-0 text-slate-600 tabular-nums">
                {n.lag_ms === null ? 'not measured yet' : formatMs(n.lag_ms)}
                {n.backlog_ops > 0 && ` · ${n.backlog_ops} ops, ${formatBytes(n.backlog_bytes)}`}
              </span>
            </div>
            <div className="mt-1 h-1.5 w-full overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
              <div
                className={`h-full rounded-full ${n.state === 'unhealthy' ? 'bg-red-500' : (n.lag_ms ?? 0) > 0 ? 'bg-amber-500' : 'bg-emerald-500'}`}
                style={{ width: `${n.lag_ms === null ? 0 : Math.max(2, (n.lag_ms / worst) * 100)}%` }}
              />
            </div>
          </li>
        ))}
      </ul>
      {list.length > MAX_ROWS && <p className="mt-2 text-xs text-slate-600">and {list.length - MAX_ROWS} more</p>}
    </div>
  );
}

function StatsSummary({ stats }: { stats: ReturnType<typeof useReplicationStats> }) {
  if (stats.error && !stats.data) return <PanelMessage title="Could not load replication statistics">{stats.error.message}</PanelMessage>;
  if (!stats.data) return <PanelMessage title="Loading…">Reading replication statistics.</PanelMessage>;
  const s = stats.data;
  if (s.total_nodes === 0) return <PanelMessage title="No replication nodes">An administrator adds them on the Replication page.</PanelMessage>;
  return (
    <dl className="grid grid-cols-2 gap-3 px-4 py-4 text-sm">
      <div className="col-span-2">
        <dt className="text-xs font-medium tracking-wide text-slate-600 uppercase">Average lag, {windowLabel(s.from, s.to)}</dt>
        <dd className="text-2xl font-semibold text-slate-900 tabular-nums">{s.average_lag_ms === null ? '—' : formatMs(s.average_lag_ms)}</dd>
      </div>
      <div>
        <dt className="text-xs text-slate-600">Healthy nodes</dt>
        <dd className="font-medium text-slate-900 tabular-nums">
          {s.healthy_nodes} of {s.total_nodes}
        </dd>
      </div>
      <div>
        <dt className="text-xs text-slate-600">Open conflicts</dt>
        <dd className="font-medium text-slate-900 tabular-nums">{s.active_conflicts}</dd>
      </div>
    </dl>
  );
}
