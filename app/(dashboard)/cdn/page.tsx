import type { Metadata } from 'next';
import { Suspense } from 'react';
import { CdnDashboard } from '@/components/cdn/cdn-dashboard';
import { PageHeader } from '@/components/layout/page-header';
import { TableSkeleton } from '@/components/tables/table-skeleton';

export const metadata: Metadata = { title: 'CDN' };

export default function CdnPage() {
  return (
    <>
      <PageHeader
        title="CDN"
        subtitle="Edge caches in front of this origin: their health, how well they cache, and purges (also automatic on yanks, deletes and visibility changes)."
      />
      <Suspense fallback={<TableSkeleton label="Loading edges…" columns={7} />}>
        <CdnDashboard />
      </Suspense>
    </>
  );
}
