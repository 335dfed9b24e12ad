import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import type { MirrorCheckView, MirrorView } from '@/lib/engine/mirrors/mirror-views';
import type { RegionRangeView } from '@/lib/engine/mirrors/region-ranges';
import type { SelectionStrategy } from '@/lib/engine/mirrors/select-mirror';
import type { SeriesView } from '@/lib/engine/metrics/metric-series';
import { fetchJson } from './api-error';

export type Mirror = MirrorView;
export type MirrorCheck = MirrorCheckView;
export type RegionRange = RegionRangeView;
export type MirrorSettings = {
  strategy: SelectionStrategy;
  strategies: SelectionStrategy[];
  region_ranges: RegionRange[];
  checks: { interval_s: number; degraded_ms: number; degraded_lag: number; flap_threshold: number; probe_timeout_ms: number };
};
export type ChecksPage = { total: number; page: number; per_page: number; checks: MirrorCheck[] };

/** Prefix of every mirrors query: invalidate it after any mirror mutation. */
export const mirrorsKey = ['mirrors'] as const;

/** Checks run every ≤ 15 s: the page polls faster so a dead mirror turns red promptly. */
export const MIRRORS_POLL_MS = 5_000;

/** GET /api/v1/mirrors (ManageMirrors). */
export function useMirrors(enabled = true) {
  return useQuery({
    queryKey: [...mirrorsKey, 'list'],
    queryFn: () => fetchJson<{ mirrors: Mirror[] }>('/api/v1/mirrors'),
    refetchInterval: MIRRORS_POLL_MS,
    enabled,
  });
}

export function useMirrorSettings() {
  return useQuery({ queryKey: [...mirrorsKey, 'settings'], queryFn: () => fetchJson<MirrorSettings>('/api/v1/mirrors/settings') });
}

/** One mirror's probe history, newest first. */
export function useMirrorChecks(id: number | null, page: number, perPage: number) {
  return useQuery({
    queryKey: [...mirrorsKey, 'checks', id, page, perPage],
    queryFn: () => fetchJson<ChecksPage>(`/api/v1/mirrors/${id}/checks?page=${page}&per_page=${perPage}`),
    enabled: id !== null,
    placeholderData: keepPreviousData,
    refetchInterval: MIRRORS_POLL_MS,
  });
}

/** One metrics-store series per mirror (dim `m:<id>`), from the rollups. */
export function useMirrorSeries(series: string, ids: number[], range: { from: number; to: number; step: number }, rangeKey: string) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: [...mirrorsKey, 'series', series, id, rangeKey],
      queryFn: () =>
        fetchJson<SeriesView>(`/api/v1/metrics/series?series=${encodeURIComponent(series)}&dim=m:${id}&from=${range.from}&to=${range.to}&step=${range.step}`),
      refetchInterval: MIRRORS_POLL_MS,
      placeholderData: keepPreviousData,
    })),
  });
}
