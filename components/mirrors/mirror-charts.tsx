'use client';

import { ChartRangePicker } from '@/components/charts/chart-range-picker';
import { hasValues, TimeSeriesChart, type TimePoint } from '@/components/charts/time-series-chart';
import { useChartRange } from '@/components/charts/use-chart-range';
import { formatSpan } from '@/lib/ui/time-range';
import { useMirrorSeries, type Mirror } from '@/lib/queries/use-mirrors';

/** One point per step, a column per mirror (`m<id>`): the mean of its readings in that step. */
function merge(mirrors: Mirror[], results: { data?: { points: { t: number; mean: number | null; count: number }[] } }[]): TimePoint[] {
  const byT = new Map<number, TimePoint>();
  results.forEach((r, i) => {
    for (const p of r.data?.points ?? []) {
      const row = byT.get(p.t) ?? ({ t: p.t } as TimePoint);
      row[`m${mirrors[i]!.id}`] = p.count > 0 ? p.mean : null;
      byT.set(p.t, row);
    }
  });
  return [...byT.values()].sort((a, b) => a.t - b.t);
}

/** Health state timeline, latency and lag per mirror, from the metrics store's rollups (recorded at every check). */
export function MirrorCharts({ mirrors, intervalS }: { mirrors: Mirror[]; intervalS: number }) {
  const { range, setRange, preset, step, bounds } = useChartRange('1h');
  const ids = mirrors.map((m) => m.id);
  const up = useMirrorSeries('mirror.up', ids, bounds, range);
  const latency = useMirrorSeries('mirror.latency_ms', ids, bounds, range);
  const lag = useMirrorSeries('mirror.lag_changes', ids, bounds, range);
  const series = mirrors.map((m) => ({ key: `m${m.id}`, label: `${new URL(m.url).host} (${m.region})` }));
  const empty = (data: TimePoint[]) =>
    hasValues(data) ? undefined : <p className="text-sm text-slate-600">No checks in this range yet: a point is recorded every {intervalS} s for each mirror.</p>;
  const upData = merge(mirrors, up);
  const latencyData = merge(mirrors, latency);
  const lagData = merge(mirrors, lag);
  const note = `per ${formatSpan(step)}, ${preset.label}`;
  return (
    <section aria-labelledby="mirror-charts-heading" className="space-y-3">
      <div className="flex items-center justify-between gap-3">
        <h2 id="mirror-charts-heading" className="text-lg font-semibold text-slate-900">
          Health over time
        </h2>
        <ChartRangePicker value={range} onChange={setRange} />
      </div>
      <TimeSeriesChart
        title="Health state timeline"
        note={`100 % healthy · 50 % degraded · 0 % unhealthy; mean ${note}`}
        data={upData}
        series={series}
        unit="percent"
        empty={empty(upData)}
        height={200}
      />
      <div className="grid gap-4 lg:grid-cols-2">
        <TimeSeriesChart title="Latency per mirror" note={`health probe round trip (ms), mean ${note}`} data={latencyData} series={series} unit="ms" empty={empty(latencyData)} />
        <TimeSeriesChart title="Lag per mirror" note={`changes behind this origin, mean ${note}`} data={lagData} series={series} unit="count" empty={empty(lagData)} />
      </div>
    </section>
  );
}
