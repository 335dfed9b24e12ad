import type { Metadata } from 'next';
import { PageHeader } from '@/components/layout/page-header';
import { OverviewDashboard } from '@/components/overview/overview-dashboard';

export const metadata: Metadata = { title: 'Overview' };

export default function OverviewPage() {
  return (
    <>
      <PageHeader title="Overview" subtitle="Registry totals and the latest published versions." />
      <OverviewDashboard />
    </>
  );
}
