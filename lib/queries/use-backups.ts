import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { DamagedChunk, VerifyReport } from '@/lib/engine/backup/types';
import type { SeriesView } from '@/lib/engine/metrics/metric-series';
import type { NodeBackendPublic } from '@/lib/engine/replication/types';
import { fetchJson } from './api-error';
import type { JobList, JobView } from './use-jobs';

export type { DamagedChunk, VerifyReport };

/** Retention as the API takes and returns it (snake_case; every field optional, empty keeps everything). */
export type RetentionPolicyView = {
  keep_last?: number;
  keep_within?: string;
  keep_daily?: number;
  keep_weekly?: number;
  keep_monthly?: number;
  keep_yearly?: number;
  keep_tags?: string[];
};

export type PasswordSourceView = { type: 'file'; path: string } | { type: 'env'; name: string };

/** GET /api/v1/backups/repositories: one configured repository (never a secret, never the password). */
export type RepositoryView = {
  id: string;
  description: string | null;
  backend: NodeBackendPublic;
  password_source: PasswordSourceView;
  repo_uid: string;
  schedule_cron: string | null;
  schedule_tags: string[];
  retention: RetentionPolicyView | null;
  last_run_at: number | null;
  last_success_at: number | null;
  last_error: string | null;
  stored_bytes: number;
  snapshot_count: number;
  logical_bytes: number;
  dedup_ratio: number | null;
  created_at: number;
};

export type SnapshotView = {
  id: string;
  short_id: string;
  time: number;
  kind: 'registry' | 'package';
  host: string;
  tags: string[];
  description: string | null;
  recovery_point: { name: string; description: string | null } | null;
  package: { name: string; version: string } | null;
  logical_bytes: number;
  new_bytes: number;
  dedup_ratio: number | null;
  file_count: number;
  unique_chunks: number;
  duration_ms: number;
};

export type SnapshotPage = { snapshots: SnapshotView[]; total: number };

/** POST …/retention/preview: which snapshots a policy keeps (with why) and what prune would free. */
export type ForgetPlanView = {
  decisions: { id: string; time: number; keep: boolean; reasons: string[] }[];
  remove: string[];
  freed_chunks: number;
  freed_bytes: number;
};

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
