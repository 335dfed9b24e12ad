import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PackageDetail, PackageDetailSkeleton } from '@/components/packages/package-detail';

type PackagePageProps = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: PackagePageProps): Promise<Metadata> {
  const { name } = await params;
  return { title: name };
}

export default async function PackagePage({ params }: PackagePageProps) {
  const { name } = await params;
  return (
    <Suspense fallback={<PackageDetailSkeleton name={name} />}>
      <PackageDetail name={name} />
    </Suspense>
  );
}
