import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { DamagedChunk, VerifyReport } from '@/lib/engine/backup/types';
import type { SeriesView } from '@/lib/engine/metrics/metric-series';
import type { RepositoryView, RetentionPolicyView } from '@/lib/engine/backup/server/repository-rows';
import type { PasswordSource as PasswordSourceView } from '@/lib/engine/backup/server/password-source';
import type { SnapshotView } from '@/lib/engine/backup/snapshot-view';
import type { ForgetPlanView } from '@/lib/engine/backup/server/start-jobs';
import { fetchJson } from './api-error';
import type { JobList, JobState, JobView } from './use-jobs';

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

/** GET …/{id}/snapshots?limit=&offset= (ManageBackups): every snapshot, recovery points included. */
export function useBackupSnapshots(id: string, { page, perPage }: { page: number; perPage: number }) {
  return useQuery({
    queryKey: [...backupsKey, 'snapshots', id, { page, perPage }],
    queryFn: () => fetchJson<SnapshotPage>(`${repoPath(id)}/snapshots?limit=${perPage}&offset=${(page - 1) * perPage}`),
    placeholderData: keepPreviousData,
    refetchInterval: BACKUPS_POLL_MS,
  });
}

/** GET …/{id}/snapshots?recovery_points=only: the recovery points of a repository, newest first, paginated apart (they are exempt from retention). */
export function useRecoveryPoints(id: string, { page, perPage }: { page: number; perPage: number }) {
  return useQuery({
    queryKey: [...backupsKey, 'recovery-points', id, { page, perPage }],
    queryFn: () => fetchJson<SnapshotPage>(`${repoPath(id)}/snapshots?recovery_points=only&limit=${perPage}&offset=${(page - 1) * perPage}`),
    placeholderData: keepPreviousData,
    refetchInterval: BACKUPS_POLL_MS,
  });
}

export type BackupJobsParams = { state: JobState | ''; kind: string; page: number; perPage: number };

/** GET /api/v1/backups/jobs (ManageBackups): the backup jobs, newest first; `kind` one backup kind or '' for all. */
export function useBackupJobs({ state, kind, page, perPage }: BackupJobsParams) {
  return useQuery({
    queryKey: [...backupsKey, 'jobs', { state, kind, page, perPage }],
    queryFn: () => {
      const params = new URLSearchParams({ page: String(page), per_page: String(perPage) });
      if (state) params.set('state', state);
      if (kind) params.set('kind', kind);
      return fetchJson<JobList>(`/api/v1/backups/jobs?${params}`);
    },
    placeholderData: keepPreviousData,
    refetchInterval: BACKUPS_POLL_MS,
  });
}

/** One job the page started, polled until it ends: GET /api/v1/backups/jobs/{id} (ManageBackups, as the page). */
export function useWatchedJob(job: { id: number; kind: string } | null) {
  return useQuery({
    queryKey: ['jobs', 'watch', job?.id ?? 0],
    queryFn: () => fetchJson<JobView>(`/api/v1/backups/jobs/${job!.id}`),
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
