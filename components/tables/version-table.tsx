import Link from 'next/link';
import { DownloadCount } from '@/components/packages/download-count';
import { VersionReplicasCell } from '@/components/replication/version-replicas-cell';
import { Badge } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import type { VersionSummary } from '@/lib/queries/api-types';
import { digestHex, shortHex } from '@/lib/ui/digest';
import { formatBytes } from '@/lib/ui/format-bytes';
import { DataTable } from './data-table';
import { TD } from './table-styles';

type VersionTableProps = {
  name: string;
  versions: VersionSummary[];
  latest: string | null;
  selected: string | null;
};

export function VersionTable({ name, versions, latest, selected }: VersionTableProps) {
  return (
    <DataTable columns={['Version', 'Published', { label: 'Size', align: 'right' }, { label: 'Downloads', align: 'right' }, 'Digest', 'Replicas']}>
      {versions.map((v) => {
        const isSelected = v.version === selected;
        return (
          <tr key={v.version} className={isSelected ? 'bg-indigo-50/60' : 'hover:bg-slate-50'}>
            <td className={TD}>
              <div className="flex flex-wrap items-center gap-2">
                <Link
                  href={`/packages/${encodeURIComponent(name)}?version=${encodeURIComponent(v.version)}`}
                  scroll={false}
                  aria-current={isSelected ? 'true' : undefined}
                  className={`font-mono text-sm hover:underline ${isSelected ? 'font-semibold text-indigo-800' : 'text-indigo-700'} ${v.yanked ? 'line-through decoration-slate-400' : ''}`}
                >
                  {v.version}
                </Link>
                {v.version === latest && <Badge tone="success">Latest</Badge>}
                {v.yanked && <Badge tone="warning">Yanked</Badge>}
              </div>
            </td>
            <td className={`${TD} whitespace-nowrap text-slate-600`}>
              <RelativeTime ms={v.published_at} />
            </td>
            <td className={`${TD} text-right tabular-nums`}>{formatBytes(v.size)}</td>
            <td className={`${TD} text-right tabular-nums`}><DownloadCount value={v.downloads} /></td>
            <td className={TD}>
              <code title={digestHex(v.digest)} className="font-mono text-xs text-slate-600">
                {shortHex(v.digest)}…
              </code>
            </td>
            <td className={TD}>
              <VersionReplicasCell name={name} version={v.version} />
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
