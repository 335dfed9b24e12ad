import { z } from 'zod';
import { jobDepth, listJobs } from '@/lib/engine/jobs/list-jobs';
import { toJobView, toScheduleView } from '@/lib/engine/jobs/job-view';
import { cancelJob, retryJob } from '@/lib/engine/jobs/manage-jobs';
import { listSchedules } from '@/lib/engine/jobs/schedules';
import { ZJobIdParams, ZJobsQuery } from '@/lib/validations/jobs';
import { route } from '../route';

/** GET /api/v1/jobs?state=&kind=&page=&per_page= (newest first) */
export const listJobsHandler = route({
  permission: 'ManageJobs',
  params: z.object({}),
  query: ZJobsQuery,
  run: ({ query, ctx }) => {
    const { total, jobs } = listJobs(ctx.engine, { state: query.state, kind: query.kind, page: query.page, perPage: query.per_page });
    return Response.json({ total, page: query.page, per_page: query.per_page, jobs: jobs.map(toJobView) });
  },
});

/** GET /api/v1/jobs/summary: queue depth by kind and state, and the recurring schedules. */
export const jobSummaryHandler = route({
  permission: 'ManageJobs',
  params: z.object({}),
  run: ({ ctx }) => Response.json({ depth: jobDepth(ctx.engine), schedules: listSchedules(ctx.engine).map(toScheduleView) }),
});

/** POST /api/v1/jobs/:id/retry */
export const retryJobHandler = route({
  permission: 'ManageJobs',
  params: ZJobIdParams,
  audit: { action: 'job.retry', target: (p) => `job#${p.id}` },
  run: ({ params, ctx }) => Response.json(toJobView(retryJob(ctx.engine, params.id))),
});

/** POST /api/v1/jobs/:id/cancel */
export const cancelJobHandler = route({
  permission: 'ManageJobs',
  params: ZJobIdParams,
  audit: { action: 'job.cancel', target: (p) => `job#${p.id}` },
  run: ({ params, ctx }) => Response.json(toJobView(cancelJob(ctx.engine, params.id))),
});
