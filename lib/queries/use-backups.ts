import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { DamagedChunk, VerifyReport } from '@/lib/engine/backup/types';
import type { SeriesView } from '@/lib/engine/metrics/metric-series';
import type { RepositoryView, RetentionPolicyView } from '@/lib/engine/backup/server/repository-rows';
import type { PasswordSource as PasswordSourceView } from '@/lib/engine/backup/server/password-source';
import type { SnapshotView } from '@/lib/engine/backup/server/snapshot-cache';
import type { ForgetPlanView } from '@/lib/engine/backup/server/start-jobs';
import { fetchJson } from './api-error';
import type { JobList, JobView } from './use-jobs';

export type { DamagedChunk, VerifyReport };

/** The API's shapes (lib/engine/backup/server): repositories, snapshots, password sources, retention, the dry run. */
export type { ForgetPlanView, PasswordSourceView, RepositoryView, RetentionPolicyView, SnapshotView };

export type SnapshotPage = { snapshots: SnapshotView[]; total: number };

/** Prefix of every backups query: invalidate it after any backup mutation. */
export const backupsKey = ['backups'] as const;

/** Backups run as jobs: the page polls so sizes and last runs move while one runs. */
export const BACKUPS_POLL_MS = 5_000;
/** A job the page watches (a backup, a verify, a restore) is polled faster. */
export const JOB_WATCH_POLL_MS = 1_000;

const repoPath = (id: string) => `/api/v1/backups/repositories/${encodeURIComponent(id)}`;

/** GET /api/v1/backups/repositories (ManageBackups). */
export function useBackupRepositories() {
  return useQuery({
    queryKey: [...backupsKey, 'repositories'],
    queryFn: () => fetchJson<{ repositories: RepositoryView[] }>('/api/v1/backups/repositories'),
    refetchInterval: BACKUPS_POLL_MS,
  });
}

/** GET …/{id}/snapshots?limit=&offset= (ManageBackups). */
export function useBackupSnapshots(id: string, { page, perPage }: { page: number; perPage: number }) {
  return useQuery({
    queryKey: [...backupsKey, 'snapshots', id, { page, perPage }],
    queryFn: () => fetchJson<SnapshotPage>(`${repoPath(id)}/snapshots?limit=${perPage}&offset=${(page - 1) * perPage}`),
    placeholderData: keepPreviousData,
    refetchInterval: BACKUPS_POLL_MS,
  });
}

/** The most this page reads at once to list the recovery points apart from the paginated snapshots. */
export const RECOVERY_POINT_SCAN = 100;

/** Recovery points of a repository: snapshots with a name, listed apart (they are exempt from retention). */
export function useRecoveryPoints(id: string) {
  return useQuery({
    queryKey: [...backupsKey, 'recovery-points', id],
    queryFn: async () => {
      const page = await fetchJson<SnapshotPage>(`${repoPath(id)}/snapshots?limit=${RECOVERY_POINT_SCAN}&offset=0`);
      return { points: page.snapshots.filter((s) => s.recovery_point !== null), scanned: page.snapshots.length, total: page.total };
    },
    refetchInterval: BACKUPS_POLL_MS,
  });
}

/**
 * One job the page started, polled until it ends: read from the jobs list of its kind (newest
 * first, so a job just started is on the first page). Needs ManageJobs, as the Jobs page does.
 */
export function useWatchedJob(job: { id: number; kind: string } | null) {
  return useQuery({
    queryKey: ['jobs', 'watch', job?.id ?? 0],
    queryFn: async () => {
      const list = await fetchJson<JobList>(`/api/v1/jobs?kind=${encodeURIComponent(job!.kind)}&per_page=50`);
      return list.jobs.find((j) => j.id === job!.id) ?? null;
    },
    enabled: job !== null,
    refetchInterval: (q) => (isJobOver(q.state.data ?? null) ? false : JOB_WATCH_POLL_MS),
  });
}

export const isJobOver = (job: Pick<JobView, 'state'> | null) => job !== null && (job.state === 'succeeded' || job.state === 'dead' || job.state === 'cancelled');

/** One metrics-store series per repository (dim `b:<id>`), from the rollups. */
export function useRepositorySeries(series: string, id: string, range: { from: number; to: number; step: number }, rangeKey: string) {
  return useQuery({
    queryKey: [...backupsKey, 'series', series, id, rangeKey],
    queryFn: () =>
      fetchJson<SeriesView>(
        `/api/v1/metrics/series?series=${encodeURIComponent(series)}&dim=${encodeURIComponent(`b:${id}`)}&from=${range.from}&to=${range.to}&step=${range.step}`,
      ),
    refetchInterval: BACKUPS_POLL_MS * 2,
    placeholderData: keepPreviousData,
  });
}
