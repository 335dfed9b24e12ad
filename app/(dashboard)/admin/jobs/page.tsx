import type { Metadata } from 'next';
import { Suspense } from 'react';
import { JobsAdmin } from '@/components/jobs/jobs-admin';
import { PageHeader } from '@/components/layout/page-header';
import { TableSkeleton } from '@/components/tables/table-skeleton';

export const metadata: Metadata = { title: 'Jobs' };

export default function JobsPage() {
  return (
    <>
      <PageHeader
        title="Jobs"
        subtitle="Background work kept in the database: housekeeping, metric samples and, later, mirror syncs, replication, backups and notifications. Running jobs hold a lease; a job whose worker dies runs again."
      />
      <Suspense fallback={<TableSkeleton label="Loading jobs…" columns={7} />}>
        <JobsAdmin />
      </Suspense>
    </>
  );
}
