'use client';

import { AreaJobs } from '@/components/jobs/area-jobs';
import { REPLICATION_JOBS } from '@/lib/engine/replication/types';
import { jobsKey, useJobs, type JobsParams } from '@/lib/queries/use-jobs';

export const REPLICATION_KINDS = `replication.*`;
const KIND_HELP: Record<string, string> = {
  [REPLICATION_JOBS.apply]: 'apply: write or delete one version on one node',
  [REPLICATION_JOBS.sync]: 'sync: re-plan what is behind',
  [REPLICATION_JOBS.check]: 'check: probe every node, record lag and backlog',
  [REPLICATION_JOBS.scrub]: 'scrub: compare inventories, repair, record conflicts',
};
const INVALIDATE = [jobsKey];
const useReplicationJobs = (params: JobsParams) => useJobs(params);

/** The job table of the Jobs page, filtered to the replication kinds (ManageJobs). */
export function ReplicationJobs() {
  return (
    <AreaJobs
      title="Replication jobs"
      headingId="replication-jobs-heading"
      allKinds={{ value: REPLICATION_KINDS, label: 'all replication' }}
      kinds={Object.values(REPLICATION_JOBS)}
      kindHelp={KIND_HELP}
      summary="Applies, syncs, checks and scrubs, newest first."
      useList={useReplicationJobs}
      invalidate={INVALIDATE}
      canManage
      forbiddenNote="Replication jobs are listed for holders of ManageJobs."
      empty="Checks run on a schedule once nodes exist; applies follow each publish, delete and yank; a scrub runs on its schedule or with Scrub now."
      cancelNote="; the sync job re-plans what it leaves behind."
    />
  );
}
