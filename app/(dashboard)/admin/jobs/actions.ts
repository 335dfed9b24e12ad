'use server';

import { toJobView } from '@/lib/engine/jobs/job-view';
import { cancelJob, retryJob } from '@/lib/engine/jobs/manage-jobs';
import { action } from '@/lib/server/action';
import { ZJobIdInput } from '@/lib/validations/jobs';

export const retryJobAction = action({
  permission: 'ManageJobs',
  input: ZJobIdInput,
  audit: { action: 'job.retry', target: (i) => `job#${i.jobId}` },
  run: (i, ctx) => toJobView(retryJob(ctx.engine, i.jobId)),
});

export const cancelJobAction = action({
  permission: 'ManageJobs',
  input: ZJobIdInput,
  audit: { action: 'job.cancel', target: (i) => `job#${i.jobId}` },
  run: (i, ctx) => toJobView(cancelJob(ctx.engine, i.jobId)),
});
