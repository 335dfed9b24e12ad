import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageHeader } from '@/components/layout/page-header';
import { PackageBrowser } from '@/components/packages/package-browser';
import { PackageTableSkeleton } from '@/components/tables/package-table';

export const metadata: Metadata = { title: 'Packages' };

export default function PackagesPage() {
  return (
    <>
      <PageHeader title="Packages" subtitle="Every model package in this registry. Search by name, description, author or tag." />
      <Suspense fallback={<PackageTableSkeleton />}>
        <PackageBrowser />
      </Suspense>
    </>
  );
}
