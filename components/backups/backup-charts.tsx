'use client';

import { ChartRangePicker } from '@/components/charts/chart-range-picker';
import { hasReading, hasValues, TimeSeriesChart, type TimePoint } from '@/components/charts/time-series-chart';
import { useChartRange } from '@/components/charts/use-chart-range';
import { BACKUP_SERIES } from '@/lib/engine/backup/types';
import type { SeriesPoint } from '@/lib/engine/metrics/query-rollups';
import { ApiError } from '@/lib/queries/api-error';
import { useRepositorySeries } from '@/lib/queries/use-backups';
import { formatSpan } from '@/lib/ui/time-range';

/** Gauges as one row per step with a reading, a column per series: the step's highest reading. */
export function mergeGauges(results: Record<string, { points: SeriesPoint[] } | undefined>): TimePoint[] {
  const byT = new Map<number, TimePoint>();
  for (const [key, view] of Object.entries(results)) {
    for (const p of view?.points ?? []) {
      const row = byT.get(p.t) ?? ({ t: p.t } as TimePoint);
      row[key] = p.count > 0 ? p.max : null;
      byT.set(p.t, row);
    }
  }
  // Gauges are read at each run: steps without a reading are left out rather than drawn as gaps.
  return [...byT.values()].filter(hasReading).sort((a, b) => a.t - b.t);
}

/** Repository size (stored and logical) and the deduplication ratio over time, from the gauges each run and prune record. */
export function BackupCharts({ repositoryId }: { repositoryId: string }) {
  const { range, setRange, preset, step, bounds } = useChartRange('7d');
  const stored = useRepositorySeries(BACKUP_SERIES.repoBytes, repositoryId, bounds, range);
  const logical = useRepositorySeries(BACKUP_SERIES.logicalBytes, repositoryId, bounds, range);
  const ratio = useRepositorySeries(BACKUP_SERIES.dedupRatio, repositoryId, bounds, range);
  const sizes = mergeGauges({ stored: stored.data, logical: logical.data });
  const ratios = mergeGauges({ ratio: ratio.data });
  const forbidden = stored.error instanceof ApiError && stored.error.status === 403;
  const empty = (data: TimePoint[]) =>
    forbidden ? (
      <p className="text-sm text-slate-600">The charts read the metrics store, which needs ViewStats.</p>
    ) : hasValues(data) ? undefined : (
      <p className="text-sm text-slate-600">No readings in this range yet: each backup run and each prune records the repository’s size and ratio, so points appear after the next one.</p>
    );
  const note = `highest per ${formatSpan(step)}, last ${preset.label}`;
  return (
    <section aria-labelledby="backup-charts-heading" className="space-y-3">
      <div className="flex items-center justify-between gap-3">
        <h3 id="backup-charts-heading" className="text-base font-semibold text-slate-900">
          Size over time
        </h3>
        <ChartRangePicker value={range} onChange={setRange} />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <TimeSeriesChart
          title="Repository size"
          note={`stored: bytes in the repository after compression and encryption; logical: what the snapshots hold. ${note}`}
          data={sizes}
          series={[
            { key: 'stored', label: 'Stored' },
            { key: 'logical', label: 'Logical' },
          ]}
          unit="bytes"
          dots
          empty={empty(sizes)}
        />
        <TimeSeriesChart title="Deduplication ratio" note={`logical over stored bytes (×), ${note}`} data={ratios} series={[{ key: 'ratio', label: 'Dedup ratio' }]} unit="ratio" dots empty={empty(ratios)} />
      </div>
    </section>
  );
}
