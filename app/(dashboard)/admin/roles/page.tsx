import type { Metadata } from 'next';
import { RolesAdmin } from '@/components/admin/roles-admin';
import { PageHeader } from '@/components/layout/page-header';

export const metadata: Metadata = { title: 'Roles' };

export default function RolesPage() {
  return (
    <>
      <PageHeader
        title="Roles"
        subtitle="What each role may do. A user holds the union of their roles' permissions; package owners and grants add per-package rights."
      />
      <RolesAdmin />
    </>
  );
}
