import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageHeader } from '@/components/layout/page-header';
import { TableSkeleton } from '@/components/tables/table-skeleton';
import { TokensPage as Tokens } from '@/components/tokens/tokens-page';

export const metadata: Metadata = { title: 'API tokens' };

export default function TokensPage() {
  return (
    <>
      <PageHeader
        title="API tokens"
        subtitle="Tokens let the torsh CLI, CI jobs and scripts call the API as you, with the scopes you choose."
      />
      <Suspense fallback={<TableSkeleton label="Loading tokens…" columns={6} />}>
        <Tokens />
      </Suspense>
    </>
  );
}
