import type { Metadata } from 'next';
import { SecurityPolicy } from '@/components/admin/security-policy';
import { PageHeader } from '@/components/layout/page-header';

export const metadata: Metadata = { title: 'Security' };

export default function SecurityPage() {
  return (
    <>
      <PageHeader
        title="Security"
        subtitle="Whether publishes must carry a verified signature, and how packages published from the browser are signed."
      />
      <SecurityPolicy />
    </>
  );
}
