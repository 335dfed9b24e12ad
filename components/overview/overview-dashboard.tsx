'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { CurlPublishHint } from '@/components/publish/curl-publish-hint';
import { buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorState } from '@/components/ui/error-state';
import { RelativeTime } from '@/components/ui/relative-time';
import { Skeleton } from '@/components/ui/skeleton';
import type { RegistryStats } from '@/lib/queries/api-types';
import { hasPermission, useMe } from '@/lib/queries/use-me';
import { useStats } from '@/lib/queries/use-stats';
import { formatBytes } from '@/lib/ui/format-bytes';
import { formatCount } from '@/lib/ui/format-count';
import { parseRange, rangeSearch, type TimeRangeChoice } from '@/lib/ui/time-range';
import { MetricsOverview } from './metrics-overview';
import { OpsPanels } from './ops-panels';

const STAT_CARDS: { label: string; value: (stats: RegistryStats) => string }[] = [
  { label: 'Packages', value: (s) => formatCount(s.packages) },
  { label: 'Versions', value: (s) => formatCount(s.versions) },
  { label: 'Stored', value: (s) => formatBytes(s.total_bytes) },
  { label: 'Downloads', value: (s) => formatCount(s.downloads) },
  { label: 'Bytes served', value: (s) => formatBytes(s.bytes_served) },
];

const GRID = 'grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5';

/**
 * The Overview: with ViewStats, the measured dashboard (KPIs, charts, range in the URL, polled);
 * without it, the registry totals the caller may see and why the charts are hidden.
 */
export function OverviewDashboard() {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const range = parseRange(searchParams);
  const { data: stats, error, isPending } = useStats();
  const me = useMe();

  // Native history updates keep useSearchParams in sync without a server round trip.
  const changeRange = (next: TimeRangeChoice) => window.history.pushState(null, '', `${pathname}${rangeSearch(next)}`);

  if (isPending || me.isPending) return <OverviewSkeleton />;
  if (error) return <ErrorState title="Could not load registry statistics" error={error} />;
  const canViewStats = hasPermission(me.data?.user, 'ViewStats');

  return (
    <div className="space-y-6">
      {stats.packages === 0 && <EmptyRegistry />}
      {canViewStats ? (
        <MetricsOverview range={range} onRangeChange={changeRange} />
      ) : (
        <>
          <dl className={GRID}>
            {STAT_CARDS.map((card) => (
              <div key={card.label} className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
                <dt className="text-xs font-medium tracking-wide text-slate-600 uppercase">{card.label}</dt>
                <dd className="mt-1 text-2xl font-semibold text-slate-900 tabular-nums">{card.value(stats)}</dd>
              </div>
            ))}
          </dl>
          <p className="rounded-lg border border-slate-200 bg-slate-50 px-4 py-3 text-sm text-slate-700" role="note">
            These totals cover the packages you may see. Charts of downloads, bandwidth, download times and errors over
            time need the <strong>ViewStats</strong> permission:{' '}
            {me.data?.user ? 'ask an administrator for a role that grants it.' : (
              <>
                <Link href="/login" className="font-medium text-indigo-700 hover:underline">
                  sign in
                </Link>{' '}
                with an account that holds it.
              </>
            )}
          </p>
        </>
      )}
      <OpsPanels />
      {stats.recent_versions.length > 0 && <RecentlyPublished stats={stats} />}
    </div>
  );
}

function RecentlyPublished({ stats }: { stats: RegistryStats }) {
  return (
    <Card
      title="Recently published"
      actions={
        <Link href="/packages" className="text-sm font-medium text-indigo-700 hover:underline">
          All packages
        </Link>
      }
    >
      <ul className="divide-y divide-slate-100">
        {stats.recent_versions.map((recent) => (
          <li key={`${recent.name}@${recent.version}`} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-2.5 text-sm">
            <Link
              href={`/packages/${encodeURIComponent(recent.name)}?version=${encodeURIComponent(recent.version)}`}
              className="font-medium text-indigo-700 hover:underline"
            >
              {recent.name}
              <span className="text-slate-500">@{recent.version}</span>
            </Link>
            <span className="flex gap-4 text-slate-600 tabular-nums">
              <span>{formatBytes(recent.size)}</span>
              <RelativeTime ms={recent.published_at} />
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function OverviewSkeleton() {
  return (
    <div aria-busy="true" className="space-y-6">
      <span className="sr-only">Loading registry statistics…</span>
      <div className={GRID}>
        {STAT_CARDS.map((card) => (
          <div key={card.label} className="rounded-lg border border-slate-200 bg-white px-4 py-3">
            <Skeleton className="h-3 w-16" />
            <Skeleton className="mt-3 h-6 w-20" />
          </div>
        ))}
      </div>
      <Skeleton className="h-48 w-full" />
    </div>
  );
}

function EmptyRegistry() {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-8">
      <h2 className="text-base font-semibold text-slate-900">This registry has no packages yet</h2>
      <div className="mt-2 max-w-2xl space-y-2 text-sm text-slate-600">
        <p>
          A <code className="font-mono text-slate-800">.torshpkg</code> is a ZIP archive holding an ML model package:
          a <code className="font-mono text-slate-800">MANIFEST.json</code> at its root (name, version, author,
          resources, dependencies) and the model weights, source, data and configuration in folders by type.
        </p>
        <p>Publish one from the browser, or from a CI job with curl:</p>
      </div>
      <div className="mt-4 max-w-3xl">
        <CurlPublishHint />
      </div>
      <Link href="/publish" className={`${buttonClasses('primary')} mt-5`}>
        Publish a package
      </Link>
    </div>
  );
}
