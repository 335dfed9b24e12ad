'use client';

import { useId, useState } from 'react';
import { TimeSeriesChart, type ChartSeries, type TimePoint } from '@/components/charts/time-series-chart';
import { INPUT_CLASSES } from '@/components/forms/text-field';
import type { CdnTraffic } from '@/lib/queries/use-edges';

type TrafficSeries = CdnTraffic['overall'];

/** One line per edge and one for all of them: hits ÷ requests per step. */
function hitRateData(traffic: CdnTraffic): { data: TimePoint[]; series: ChartSeries[] } {
  const series: ChartSeries[] = [{ key: 'overall', label: 'All edges', color: '#0f172a' }, ...traffic.edges.map((e) => ({ key: `e${e.id}`, label: `${e.url} (${e.region})` }))];
  const data = traffic.overall.points.map((p, i) => {
    const point: TimePoint = { t: p.t, overall: p.hit_rate };
    for (const e of traffic.edges) point[`e${e.id}`] = e.points[i]?.hit_rate ?? null;
    return point;
  });
  return { data, series };
}

function bytesData(s: TrafficSeries): TimePoint[] {
  return s.points.map((p) => ({ t: p.t, cache: p.bytes_from_cache, origin: p.bytes_from_origin }));
}

const NO_TRAFFIC = 'No requests reached the edges in this range. Figures appear here within a collection (every 15 s by default) of clients downloading through an edge.';

/** Cache hit rate over time (per edge and overall) and bytes served from cache vs from the origin. */
export function CdnCharts({ traffic }: { traffic: CdnTraffic }) {
  const [selected, setSelected] = useState<string>('overall');
  const selectId = useId();
  const empty = traffic.overall.totals.requests === 0 ? NO_TRAFFIC : undefined;
  const hit = hitRateData(traffic);
  const edge = traffic.edges.find((e) => `e${e.id}` === selected);
  const bytesSource = edge ?? traffic.overall;
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <TimeSeriesChart title="Cache hit rate" unit="percent" data={hit.data} series={hit.series} empty={empty} note="Hits ÷ requests in each step, from the edges' counters." />
      <TimeSeriesChart
        title={edge ? `Bytes served · ${edge.url}` : 'Bytes served · all edges'}
        unit="bytes"
        kind="area"
        stacked
        data={bytesData(bytesSource)}
        series={[
          { key: 'cache', label: 'From cache', color: '#16a34a' },
          { key: 'origin', label: 'From origin', color: '#d97706' },
        ]}
        empty={bytesSource.totals.requests === 0 ? NO_TRAFFIC : undefined}
        actions={
          traffic.edges.length > 0 && (
            <div className="flex items-center gap-2">
              <label htmlFor={selectId} className="text-xs text-slate-600">
                Edge
              </label>
              <select id={selectId} value={selected} onChange={(e) => setSelected(e.target.value)} className={`${INPUT_CLASSES} h-8 w-48 text-xs`}>
                <option value="overall">All edges</option>
                {traffic.edges.map((e) => (
                  <option key={e.id} value={`e${e.id}`}>
                    {e.url}
                  </option>
                ))}
              </select>
            </div>
          )
        }
      />
    </div>
  );
}
