'use client';

import { ChartRangePicker } from '@/components/charts/chart-range-picker';
import { hasValues, TimeSeriesChart, type TimePoint } from '@/components/charts/time-series-chart';
import { useChartRange } from '@/components/charts/use-chart-range';
import type { SeriesPoint } from '@/lib/engine/metrics/query-rollups';
import { SERIES } from '@/lib/engine/metrics/metric-event';
import { useNodeSeries, type NodeView } from '@/lib/queries/use-replication';
import { formatSpan } from '@/lib/ui/time-range';

/** One row per step, a column per node (`n<index>`): the highest reading in that step. */
export function mergeNodeSeries(nodes: { id: string }[], results: { data?: { points: SeriesPoint[] } }[], pick: (p: SeriesPoint) => number | null = (p) => p.max): TimePoint[] {
  const byT = new Map<number, TimePoint>();
  results.forEach((r, i) => {
    for (const p of r.data?.points ?? []) {
      const row = byT.get(p.t) ?? ({ t: p.t } as TimePoint);
      row[`n${i}`] = p.count > 0 ? pick(p) : null;
      byT.set(p.t, row);
    }
  });
  return [...byT.values()].sort((a, b) => a.t - b.t);
}

/** Lag and backlog per node over time, from the metrics store's rollups of the check job's readings. */
export function ReplicationCharts({ nodes }: { nodes: NodeView[] }) {
  const { range, setRange, preset, step, bounds } = useChartRange('1h');
  const ids = nodes.map((n) => n.id);
  const lag = mergeNodeSeries(nodes, useNodeSeries(SERIES.replicationLagMs, ids, bounds, range));
  const backlog = mergeNodeSeries(nodes, useNodeSeries(SERIES.replicationBacklogBytes, ids, bounds, range));
  const series = nodes.map((n, i) => ({ key: `n${i}`, label: `${n.id} (${n.region})` }));
  const empty = (data: TimePoint[]) =>
    hasValues(data) ? undefined : (
      <p className="text-sm text-slate-600">No readings in this range yet: data appears after the first checks, which record every node’s lag and backlog each check interval.</p>
    );
  const note = `highest per ${formatSpan(step)}, ${preset.label}`;
  return (
    <section aria-labelledby="replication-charts-heading" className="space-y-3">
      <div className="flex items-center justify-between gap-3">
        <h2 id="replication-charts-heading" className="text-lg font-semibold text-slate-900">
          Lag over time
        </h2>
        <ChartRangePicker value={range} onChange={setRange} />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <TimeSeriesChart
          title="Replication lag per node"
          note={`age of the oldest operation not yet durable on the node (0 when caught up), ${note}`}
          data={lag}
          series={series}
          unit="ms"
          empty={empty(lag)}
        />
        <TimeSeriesChart title="Backlog per node" note={`bytes waiting to be written to the node, ${note}`} data={backlog} series={series} unit="bytes" empty={empty(backlog)} />
      </div>
    </section>
  );
}
