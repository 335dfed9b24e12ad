import Link from 'next/link';
import { DownloadCount } from '@/components/packages/download-count';
import { TagList } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { Skeleton } from '@/components/ui/skeleton';
import type { SearchHit } from '@/lib/queries/api-types';
import { formatBytes } from '@/lib/ui/format-bytes';
import { TABLE, TD, TH, THEAD, TABLE_WRAPPER } from './table-styles';

const COLUMNS = ['Name', 'Latest version', 'Size', 'Downloads', 'Updated'];

function Head() {
  return (
    <thead className={THEAD}>
      <tr>
        {COLUMNS.map((column, index) => (
          <th key={column} scope="col" className={`${TH} ${index > 1 ? 'text-right' : ''}`}>
            {column}
          </th>
        ))}
      </tr>
    </thead>
  );
}

export function PackageTable({ packages }: { packages: SearchHit[] }) {
  return (
    <div className={TABLE_WRAPPER}>
      <table className={TABLE}>
        <Head />
        <tbody className="divide-y divide-slate-100">
          {packages.map((pkg) => (
            <tr key={pkg.name} className="align-top hover:bg-slate-50">
              <td className={`${TD} max-w-md`}>
                <Link href={`/packages/${encodeURIComponent(pkg.name)}`} className="font-semibold text-indigo-700 hover:underline">
                  {pkg.name}
                </Link>
                {pkg.description && <p className="mt-0.5 line-clamp-2 text-slate-600">{pkg.description}</p>}
                {pkg.tags.length > 0 && (
                  <div className="mt-1.5">
                    <TagList tags={pkg.tags} />
                  </div>
                )}
              </td>
              <td className={`${TD} font-mono text-xs`}>{pkg.latest ?? <span className="text-slate-500">all yanked</span>}</td>
              <td className={`${TD} text-right tabular-nums`}>{pkg.size === null ? '—' : formatBytes(pkg.size)}</td>
              <td className={`${TD} text-right tabular-nums`}><DownloadCount value={pkg.downloads} /></td>
              <td className={`${TD} text-right whitespace-nowrap text-slate-600`}>
                <RelativeTime ms={pkg.updated_at} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const SKELETON_ROWS = 6;

export function PackageTableSkeleton() {
  return (
    <div className={TABLE_WRAPPER} aria-busy="true">
      <span className="sr-only">Loading packages…</span>
      <table className={TABLE} aria-hidden="true">
        <Head />
        <tbody className="divide-y divide-slate-100">
          {Array.from({ length: SKELETON_ROWS }, (_, row) => (
            <tr key={row}>
              <td className={TD}>
                <Skeleton className="h-4 w-40" />
                <Skeleton className="mt-2 h-3 w-64" />
              </td>
              {COLUMNS.slice(1).map((column) => (
                <td key={column} className={TD}>
                  <Skeleton className="ml-auto h-4 w-16" />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
