import type { Metadata } from 'next';
import { Suspense } from 'react';
import { BackupsDashboard } from '@/components/backups/backups-dashboard';
import { PageHeader } from '@/components/layout/page-header';
import { TableSkeleton } from '@/components/tables/table-skeleton';

export const metadata: Metadata = { title: 'Backups' };

export default function BackupsPage() {
  return (
    <>
      <PageHeader
        title="Backups"
        subtitle="Point-in-time copies of the whole registry — database, users, roles, tokens, keys, settings and blobs — deduplicated, compressed and encrypted in repositories on a folder, an S3 bucket or an Azure container. Replication is not a backup: a delete replicates too."
      />
      <Suspense fallback={<TableSkeleton label="Loading backups…" columns={8} />}>
        <BackupsDashboard />
      </Suspense>
    </>
  );
}
