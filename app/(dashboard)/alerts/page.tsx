import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AlertsDashboard } from '@/components/alerts/alerts-dashboard';
import { PageHeader } from '@/components/layout/page-header';
import { TableSkeleton } from '@/components/tables/table-skeleton';

export const metadata: Metadata = { title: 'Alerts' };

export default function AlertsPage() {
  return (
    <>
      <PageHeader
        title="Alerts"
        subtitle="Rules over the metrics store, evaluated every minute; firing and resolved alerts are sent to your webhooks."
      />
      <Suspense fallback={<TableSkeleton label="Loading alerts…" columns={6} />}>
        <AlertsDashboard />
      </Suspense>
    </>
  );
}
