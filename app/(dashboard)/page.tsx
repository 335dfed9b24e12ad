import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageHeader } from '@/components/layout/page-header';
import { OverviewDashboard } from '@/components/overview/overview-dashboard';

export const metadata: Metadata = { title: 'Overview' };

export default function OverviewPage() {
  return (
    <>
      <PageHeader title="Overview" subtitle="Downloads, bandwidth, download times and errors, measured; registry totals and the latest versions." />
      {/* The time range lives in the URL (useSearchParams needs a Suspense boundary). */}
      <Suspense>
        <OverviewDashboard />
      </Suspense>
    </>
  );
}
