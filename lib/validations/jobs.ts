import { z } from 'zod';
import { JOB_STATES, MAX_JOBS_PER_PAGE } from '@/lib/engine/jobs/list-jobs';
import type { JobState } from '@/lib/engine/jobs/types';

const ZJobState = z.enum(JOB_STATES as [JobState, ...JobState[]]);

export const ZJobsQuery = z.object({
  state: ZJobState.optional(),
  kind: z.string().min(1).max(100).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  per_page: z.coerce.number().int().min(1).max(MAX_JOBS_PER_PAGE).default(25),
});

export const ZJobId = z.coerce.number().int().min(1);
export const ZJobIdParams = z.object({ id: ZJobId });
export const ZJobIdInput = z.object({ jobId: ZJobId });
