import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { OverviewView } from '@/lib/engine/metrics/overview';
import type { PackageDownloadsView } from '@/lib/engine/metrics/package-downloads';
import { rangeBounds, rangeKey, type TimeRangeChoice } from '@/lib/ui/time-range';
import { fetchJson } from './api-error';

export type { OverviewView, PackageDownloadsView };

export const metricsKey = ['metrics'] as const;
/** Dashboards poll: a preset range moves with the clock at each refresh. */
export const METRICS_POLL_MS = 10_000;

const query = (range: TimeRangeChoice) => {
  const { from, to } = rangeBounds(range);
  return `from=${from}&to=${to}`;
};

/** GET /api/v1/metrics/overview (ViewStats). */
export function useOverviewMetrics(range: TimeRangeChoice, enabled = true) {
  return useQuery({
    queryKey: [...metricsKey, 'overview', rangeKey(range)],
    queryFn: () => fetchJson<OverviewView>(`/api/v1/metrics/overview?${query(range)}`),
    refetchInterval: METRICS_POLL_MS,
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** GET /api/v1/packages/{name}/downloads: full downloads per version. */
export function usePackageDownloads(name: string, range: TimeRangeChoice) {
  return useQuery({
    queryKey: [...metricsKey, 'package-downloads', name, rangeKey(range)],
    queryFn: () => fetchJson<PackageDownloadsView>(`/api/v1/packages/${encodeURIComponent(name)}/downloads?${query(range)}`),
    refetchInterval: METRICS_POLL_MS,
    placeholderData: keepPreviousData,
  });
}
