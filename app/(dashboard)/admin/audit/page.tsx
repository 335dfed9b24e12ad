import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AuditLog } from '@/components/admin/audit-log';
import { PageHeader } from '@/components/layout/page-header';
import { TableSkeleton } from '@/components/tables/table-skeleton';

export const metadata: Metadata = { title: 'Audit log' };

export default function AuditPage() {
  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle="Every change and every refused attempt: who, what, on which target, with what result and from where."
      />
      <Suspense fallback={<TableSkeleton label="Loading audit events…" columns={7} />}>
        <AuditLog />
      </Suspense>
    </>
  );
}
