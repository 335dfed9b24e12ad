import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageHeader } from '@/components/layout/page-header';
import { MirrorsDashboard } from '@/components/mirrors/mirrors-dashboard';
import { TableSkeleton } from '@/components/tables/table-skeleton';

export const metadata: Metadata = { title: 'Mirrors' };

export default function MirrorsPage() {
  return (
    <>
      <PageHeader
        title="Mirrors"
        subtitle="Read-only copies of this registry that follow its change feed. Health is probed on a schedule; downloads are sent to healthy mirrors that hold the version."
      />
      <Suspense fallback={<TableSkeleton label="Loading mirrors…" columns={8} />}>
        <MirrorsDashboard />
      </Suspense>
    </>
  );
}
