import type { Metadata } from 'next';
import { Suspense } from 'react';
import { UsersAdmin } from '@/components/admin/users-admin';
import { PageHeader } from '@/components/layout/page-header';
import { TableSkeleton } from '@/components/tables/table-skeleton';

export const metadata: Metadata = { title: 'Users' };

export default function UsersPage() {
  return (
    <>
      <PageHeader title="Users" subtitle="Accounts that can sign in to the dashboard or own API tokens, and the roles they hold." />
      <Suspense fallback={<TableSkeleton label="Loading users…" columns={6} />}>
        <UsersAdmin />
      </Suspense>
    </>
  );
}
