import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageHeader } from '@/components/layout/page-header';
import { ReplicationDashboard } from '@/components/replication/replication-dashboard';
import { TableSkeleton } from '@/components/tables/table-skeleton';

export const metadata: Metadata = { title: 'Replication' };

export default function ReplicationPage() {
  return (
    <>
      <PageHeader
        title="Replication"
        subtitle="Copies of every package on storage nodes (folders, S3 buckets, Azure containers) with the configured consistency. Nodes are checked on a schedule; a scrub compares their contents with the catalogue and repairs what diverges."
      />
      <Suspense fallback={<TableSkeleton label="Loading replication…" columns={8} />}>
        <ReplicationDashboard />
      </Suspense>
    </>
  );
}
