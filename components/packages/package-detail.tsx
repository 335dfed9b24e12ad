'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import type { ReactNode } from 'react';
import { PageHeader } from '@/components/layout/page-header';
import { VersionTable } from '@/components/tables/version-table';
import { TagList } from '@/components/ui/badge';
import { buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorState } from '@/components/ui/error-state';
import { RelativeTime } from '@/components/ui/relative-time';
import { Skeleton } from '@/components/ui/skeleton';
import { isNotFound } from '@/lib/queries/api-error';
import type { PackageDetail as Package } from '@/lib/queries/api-types';
import { canOn, usePackage } from '@/lib/queries/use-package';
import { DeletePackageButton } from './delete-controls';
import { DownloadCount } from './download-count';
import { EditPackageButton } from './edit-package-dialog';
import { PackageAccess } from './package-access';
import { PackageChannels } from './package-channels';
import { PackageDownloadsChart } from './package-downloads-chart';
import { PackageReadme } from './package-readme';
import { VersionPanel } from './version-panel';

/** A package page; `?version=` selects the version shown in detail (default: latest). */
export function PackageDetail({ name }: { name: string }) {
  const searchParams = useSearchParams();
  const { data: pkg, error, isPending } = usePackage(name);

  if (isPending) return <PackageDetailSkeleton name={name} />;
  if (isNotFound(error)) return <PackageNotFound name={name} />;
  if (error) {
    return (
      <>
        <PageHeader title={name} />
        <ErrorState title="Could not load this package" error={error} />
      </>
    );
  }

  const selected = searchParams.get('version') ?? pkg.latest ?? pkg.versions[0]?.version ?? null;

  const actions = (
    <>
      {canOn(pkg, 'Update') && <EditPackageButton pkg={pkg} />}
      {canOn(pkg, 'Delete') && <DeletePackageButton name={pkg.name} versions={pkg.versions.length} />}
    </>
  );

  return (
    <>
      <PageHeader title={pkg.name} subtitle={pkg.description} actions={actions} />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_17rem]">
        <div className="min-w-0 space-y-6">
          <section aria-labelledby="versions-heading" className="space-y-2">
            <h2 id="versions-heading" className="text-sm font-semibold text-slate-900">
              Versions ({pkg.versions.length})
            </h2>
            <VersionTable name={pkg.name} versions={pkg.versions} latest={pkg.latest} selected={selected} />
          </section>
          <PackageDownloadsChart name={pkg.name} />
          {selected && <VersionPanel key={selected} name={pkg.name} version={selected} latest={pkg.latest} canDelete={canOn(pkg, 'Delete')} />}
          <PackageChannels name={pkg.name} versions={pkg.versions} canManage={canOn(pkg, 'ManageVersions')} />
          <PackageReadme readme={pkg.readme} canEdit={canOn(pkg, 'Update')} />
          <PackageAccess name={pkg.name} />
        </div>
        <PackageAbout pkg={pkg} />
      </div>
    </>
  );
}

function PackageAbout({ pkg }: { pkg: Package }) {
  const facts: [string, ReactNode][] = [
    ['Latest version', pkg.latest ? <span className="font-mono">{pkg.latest}</span> : pkg.versions.length > 0 ? 'none (all versions yanked)' : 'none (no versions)'],
    ['Author', pkg.author ?? '—'],
    ['License', pkg.license ?? '—'],
    ['Homepage', pkg.homepage ? <ExternalLink key="homepage" href={pkg.homepage} /> : '—'],
    ['Downloads', <DownloadCount key="downloads" value={pkg.downloads} />],
    ['Created', <RelativeTime key="created" ms={pkg.created_at} />],
    ['Updated', <RelativeTime key="updated" ms={pkg.updated_at} />],
  ];
  return (
    <Card title="About" className="self-start">
      <dl className="space-y-3 p-4 text-sm">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs font-medium text-slate-600">{label}</dt>
            <dd className="mt-0.5 break-words text-slate-900">{value}</dd>
          </div>
        ))}
        {pkg.tags.length > 0 && (
          <div>
            <dt className="text-xs font-medium text-slate-600">Tags</dt>
            <dd className="mt-1">
              <TagList tags={pkg.tags} />
            </dd>
          </div>
        )}
      </dl>
    </Card>
  );
}

/** A link off the registry (only http(s) URLs are accepted as homepages). */
function ExternalLink({ href }: { href: string }) {
  return (
    <a href={href} rel="noopener noreferrer nofollow" target="_blank" className="text-indigo-700 hover:underline">
      {href.replace(/^https?:\/\//, '')}
    </a>
  );
}

function PackageNotFound({ name }: { name: string }) {
  return (
    <>
      <PageHeader title="Package not found" />
      <div className="rounded-lg border border-slate-200 bg-white px-6 py-8 text-sm text-slate-700">
        <p>
          There is no package named <code className="font-mono font-semibold text-slate-900">{name}</code> in this
          registry. It may be misspelled, or not published yet.
        </p>
        <Link href="/packages" className={`${buttonClasses('secondary')} mt-4`}>
          Back to Packages
        </Link>
      </div>
    </>
  );
}

export function PackageDetailSkeleton({ name }: { name: string }) {
  return (
    <>
      <PageHeader title={name} />
      <div aria-busy="true" className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_17rem]">
        <span className="sr-only">Loading package…</span>
        <div className="space-y-6">
          <Skeleton className="h-40 w-full" />
          <Skeleton className="h-64 w-full" />
        </div>
        <Skeleton className="h-64 w-full" />
      </div>
    </>
  );
}
