import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { CdnTraffic } from '@/lib/engine/cdn/cdn-traffic';
import type { EdgeView } from '@/lib/engine/cdn/edge-view';
import { rangeBounds, rangeKey, type TimeRangeChoice } from '@/lib/ui/time-range';
import { fetchJson } from './api-error';

export type Edge = EdgeView;
export type { CdnTraffic };

/** Prefix of every CDN query: invalidate it after any edge mutation. */
export const edgesKey = ['edges'] as const;

/** Edges are collected every 15 s by default: polling at 5 s shows a change within a collection. */
const POLL_MS = 5_000;

export function useEdges() {
  return useQuery({
    queryKey: [...edgesKey, 'list'],
    queryFn: () => fetchJson<{ edges: Edge[] }>('/api/v1/edges'),
    refetchInterval: POLL_MS,
  });
}

/** Hit rate and bytes from cache vs origin over a range (per edge only for ManageCdn holders). */
export function useCdnTraffic(range: TimeRangeChoice, enabled = true) {
  return useQuery({
    queryKey: [...edgesKey, 'traffic', rangeKey(range)],
    queryFn: () => {
      // A preset range ends now at each poll.
      const { from, to } = rangeBounds(range);
      return fetchJson<CdnTraffic>(`/api/v1/cdn/traffic?from=${from}&to=${to}`);
    },
    enabled,
    placeholderData: keepPreviousData,
    refetchInterval: POLL_MS,
  });
}
