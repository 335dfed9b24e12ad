'use client';

import { useState } from 'react';
import { TimeSeriesChart } from '@/components/charts/time-series-chart';
import { ErrorState } from '@/components/ui/error-state';
import { Skeleton } from '@/components/ui/skeleton';
import { ApiError } from '@/lib/queries/api-error';
import { usePackageDownloads } from '@/lib/queries/use-metrics';
import { RANGE_PRESETS, type RangePreset } from '@/lib/ui/time-range';

/** Full downloads of a package per version over a selectable range (hidden when its figures are not the caller's to see). */
export function PackageDownloadsChart({ name }: { name: string }) {
  const [preset, setPreset] = useState<RangePreset>('7d');
  const { data, error, isPending } = usePackageDownloads(name, { kind: 'preset', id: preset });

  if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return null;
  if (error) return <ErrorState title="Could not load download figures" error={error} />;
  if (isPending) return <Skeleton className="h-64 w-full" />;

  const picker = (
    <label className="text-xs text-slate-700">
      <span className="sr-only">Range of the downloads chart</span>
      <select value={preset} onChange={(e) => setPreset(e.target.value as RangePreset)} className="rounded-md border border-slate-300 bg-white px-2 py-1 text-xs">
        {RANGE_PRESETS.map((p) => (
          <option key={p.id} value={p.id}>
            last {p.label}
          </option>
        ))}
      </select>
    </label>
  );
  const total = data.versions.reduce((n, v) => n + v.downloads, 0);
  // Versions hold dots, which chart data keys read as paths: key the lines by position.
  const series = data.lines.map((l, i) => ({ key: `l${i}`, label: l === 'other' ? 'other versions' : l }));
  const points = data.points.map((p) => Object.fromEntries([['t', p.t], ...data.lines.map((l, i) => [`l${i}`, p[l] ?? 0])]) as { t: number } & Record<string, number>);
  return (
    <TimeSeriesChart
      title="Downloads per version"
      note={`${total} full downloads in the range`}
      data={points}
      series={series}
      unit="count"
      kind="area"
      stacked
      actions={picker}
      empty={total === 0 ? 'No downloads of this package in this range. They appear here after its first download.' : undefined}
    />
  );
}
