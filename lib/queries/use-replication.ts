import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import type { SeriesView } from '@/lib/engine/metrics/metric-series';
import type { ScrubReport, ScrubStatus } from '@/lib/engine/replication/scrub-nodes';
import type { ConflictView, NodeView, ReplicationConfig, ReplicationStatistics, VersionReplicaView } from '@/lib/engine/replication/types';
import { fetchJson } from './api-error';

export type { ConflictView, NodeView, ReplicationConfig, ReplicationStatistics, ScrubReport, ScrubStatus, VersionReplicaView };

export type ConflictState = ConflictView['state'];
export type ConflictsPage = { total: number; page: number; per_page: number; conflicts: ConflictView[] };
export type PackageReplicas = { name: string; versions: Record<string, VersionReplicaView[]> };

/** Prefix of every replication query: invalidate it after any replication mutation. */
export const replicationKey = ['replication'] as const;

/** Node checks run every few seconds: the page polls so a node that stops turns red promptly. */
export const REPLICATION_POLL_MS = 5_000;

/** GET /api/v1/replication/nodes (ManageReplication). */
export function useReplicationNodes(enabled = true) {
  return useQuery({
    queryKey: [...replicationKey, 'nodes'],
    queryFn: () => fetchJson<{ nodes: NodeView[] }>('/api/v1/replication/nodes'),
    refetchInterval: REPLICATION_POLL_MS,
    enabled,
  });
}

/** GET /api/v1/replication/stats (ManageReplication or ViewStats): the window defaults to the last 24 h. */
export function useReplicationStats(enabled = true) {
  return useQuery({
    queryKey: [...replicationKey, 'stats'],
    queryFn: () => fetchJson<ReplicationStatistics>('/api/v1/replication/stats'),
    refetchInterval: REPLICATION_POLL_MS,
    enabled,
  });
}

/** GET /api/v1/replication/config (ManageReplication). */
export function useReplicationConfig(enabled = true) {
  return useQuery({
    queryKey: [...replicationKey, 'config'],
    queryFn: () => fetchJson<{ config: ReplicationConfig }>('/api/v1/replication/config'),
    enabled,
  });
}

/** GET /api/v1/replication/scrub (ManageReplication): the scrub in progress and the last report; polled faster while one runs. */
export function useScrubStatus(enabled = true) {
  return useQuery({
    queryKey: [...replicationKey, 'scrub'],
    queryFn: () => fetchJson<ScrubStatus>('/api/v1/replication/scrub'),
    refetchInterval: (q) => (q.state.data?.active ? 1_000 : REPLICATION_POLL_MS),
    enabled,
  });
}

/** GET /api/v1/replication/conflicts (ManageReplication): open first, newest first. */
export function useReplicationConflicts({ state, page, perPage }: { state: ConflictState | ''; page: number; perPage: number }, enabled = true) {
  return useQuery({
    queryKey: [...replicationKey, 'conflicts', { state, page, perPage }],
    queryFn: () => {
      const params = new URLSearchParams({ page: String(page), per_page: String(perPage) });
      if (state) params.set('state', state);
      return fetchJson<ConflictsPage>(`/api/v1/replication/conflicts?${params}`);
    },
    placeholderData: keepPreviousData,
    refetchInterval: REPLICATION_POLL_MS,
    enabled,
  });
}

/**
 * GET /api/v1/packages/{name}/replicas (read access to the package): every version's replicas in
 * one request, shared by all the rows of the versions table (one query key per package).
 */
export function usePackageReplicas(name: string) {
  return useQuery({
    queryKey: [...replicationKey, 'replicas', name],
    queryFn: () => fetchJson<PackageReplicas>(`/api/v1/packages/${encodeURIComponent(name)}/replicas`),
    staleTime: 10_000,
    refetchInterval: 15_000,
  });
}

/** One metrics-store series per node (dim `n:<id>`), from the rollups (ViewStats and ManageReplication). */
export function useNodeSeries(series: string, ids: string[], range: { from: number; to: number; step: number }, rangeKey: string) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: [...replicationKey, 'series', series, id, rangeKey],
      queryFn: () =>
        fetchJson<SeriesView>(
          `/api/v1/metrics/series?series=${encodeURIComponent(series)}&dim=${encodeURIComponent(`n:${id}`)}&from=${range.from}&to=${range.to}&step=${range.step}`,
        ),
      refetchInterval: REPLICATION_POLL_MS,
      placeholderData: keepPreviousData,
    })),
  });
}
