import type { Metadata } from 'next';
import { Suspense } from 'react';
import { KeysPage as Keys } from '@/components/keys/keys-page';
import { PageHeader } from '@/components/layout/page-header';
import { TableSkeleton } from '@/components/tables/table-skeleton';

export const metadata: Metadata = { title: 'Signing keys' };

export default function KeysPage() {
  return (
    <>
      <PageHeader
        title="Signing keys"
        subtitle="Ed25519 public keys that verify the packages you sign with torsh publish --sign. Revoking a key flags every version it signed."
      />
      <Suspense fallback={<TableSkeleton label="Loading signing keys…" columns={5} />}>
        <Keys />
      </Suspense>
    </>
  );
}
