import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { JobDepth } from '@/lib/engine/jobs/list-jobs';
import type { JobScheduleView, JobView } from '@/lib/engine/jobs/job-view';
import type { JobState } from '@/lib/engine/jobs/types';
import { fetchJson } from './api-error';

export type { JobView, JobScheduleView, JobDepth, JobState };

export type JobList = { total: number; page: number; per_page: number; jobs: JobView[] };
export type JobSummary = { depth: JobDepth[]; schedules: JobScheduleView[] };
export type JobsParams = { state: JobState | ''; kind: string; page: number; perPage: number };

/** Prefix of every jobs query: invalidate it after retry or cancel. */
export const jobsKey = ['jobs'] as const;
/** The Jobs page polls: jobs move on their own. */
export const JOBS_POLL_MS = 3_000;

export function useJobs({ state, kind, page, perPage }: JobsParams, opts: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: [...jobsKey, 'list', { state, kind, page, perPage }],
    queryFn: () => {
      const params = new URLSearchParams({ page: String(page), per_page: String(perPage) });
      if (state) params.set('state', state);
      if (kind) params.set('kind', kind);
      return fetchJson<JobList>(`/api/v1/jobs?${params}`);
    },
    placeholderData: keepPreviousData,
    refetchInterval: JOBS_POLL_MS,
    enabled: opts.enabled,
  });
}

export function useJobSummary() {
  return useQuery({
    queryKey: [...jobsKey, 'summary'],
    queryFn: () => fetchJson<JobSummary>('/api/v1/jobs/summary'),
    refetchInterval: JOBS_POLL_MS,
  });
}
