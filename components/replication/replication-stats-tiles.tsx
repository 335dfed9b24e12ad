import { formatMs } from '@/components/charts/format-units';
import { KpiCard } from '@/components/charts/kpi-card';
import type { ReplicationStatistics } from '@/lib/queries/use-replication';
import { formatBytes } from '@/lib/ui/format-bytes';
import { formatCount } from '@/lib/ui/format-count';
import { windowLabel } from './replication-format';

/** The crate's ReplicationStatistics as key figures; operations, lag and bandwidth cover the stated window. */
export function ReplicationStatsTiles({ stats }: { stats: ReplicationStatistics }) {
  const window = windowLabel(stats.from, stats.to);
  const ops = stats.successful_operations + stats.failed_operations;
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" aria-label="Replication statistics">
      <KpiCard label="Healthy nodes" value={`${formatCount(stats.healthy_nodes)} / ${formatCount(stats.total_nodes)}`} hint="healthy / registered" />
      <KpiCard label="Replicas" value={formatCount(stats.total_replicas)} hint="durable copies on nodes" />
      <KpiCard label="Operations" value={formatCount(ops)} hint={`${formatCount(stats.failed_operations)} failed, ${window}`} />
      <KpiCard label="Open conflicts" value={formatCount(stats.active_conflicts)} hint="digest differs from the catalogue" />
      <KpiCard label="Average lag" value={stats.average_lag_ms === null ? '—' : formatMs(stats.average_lag_ms)} hint={`publish to durable replica, ${window}`} />
      <KpiCard label="Bandwidth" value={`${formatBytes(Math.round(stats.bandwidth_bytes_per_sec))}/s`} hint={`written to nodes, ${window}`} />
    </dl>
  );
}
