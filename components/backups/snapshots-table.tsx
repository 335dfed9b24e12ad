'use client';

import { formatMs } from '@/components/charts/format-units';
import { DataTable } from '@/components/tables/data-table';
import { TD } from '@/components/tables/table-styles';
import { Badge, TagList } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { RelativeTime } from '@/components/ui/relative-time';
import type { SnapshotView } from '@/lib/queries/use-backups';
import { formatBytes } from '@/lib/ui/format-bytes';
import { formatCount } from '@/lib/ui/format-count';
import { dedupText, snapshotContent } from './backup-format';

type Props = { snapshots: SnapshotView[]; onRestore: (snapshot: SnapshotView) => void };

/** Snapshots with their sizes: logical (what they hold), new bytes stored (what they added), and the ratio. */
export function SnapshotsTable({ snapshots, onRestore }: Props) {
  return (
    <DataTable
      columns={[
        'Time',
        'Snapshot',
        'Content',
        'Tags',
        { label: 'Logical size', align: 'right' },
        { label: 'New bytes stored', align: 'right' },
        { label: 'Dedup', align: 'right' },
        { label: 'Duration', align: 'right' },
        { label: 'Actions', srOnly: true },
      ]}
    >
      {snapshots.map((s) => (
        <tr key={s.id} aria-label={`Snapshot ${s.short_id}`} data-snapshot-id={s.id} className="align-top">
          <td className={`${TD} whitespace-nowrap`}>
            <RelativeTime ms={s.time} />
          </td>
          <td className={TD}>
            <code className="font-mono text-xs text-slate-900" title={s.id}>
              {s.short_id}
            </code>
            {s.recovery_point && (
              <div className="mt-0.5">
                <Badge tone="info">recovery point {s.recovery_point.name}</Badge>
              </div>
            )}
            {s.description && <p className="mt-0.5 max-w-xs text-xs break-words text-slate-600">{s.description}</p>}
          </td>
          <td className={TD}>
            <p className="text-sm">{snapshotContent(s)}</p>
            <p className="text-xs text-slate-500">
              {formatCount(s.file_count)} {s.file_count === 1 ? 'file' : 'files'} · {s.host}
            </p>
          </td>
          <td className={TD}>{s.tags.length > 0 ? <TagList tags={s.tags} /> : <span className="text-slate-400">—</span>}</td>
          <td className={`${TD} text-right whitespace-nowrap tabular-nums`} data-logical-bytes={s.logical_bytes}>
            {formatBytes(s.logical_bytes)}
          </td>
          <td className={`${TD} text-right whitespace-nowrap tabular-nums`} data-new-bytes={s.new_bytes}>
            {formatBytes(s.new_bytes)}
          </td>
          <td className={`${TD} text-right whitespace-nowrap tabular-nums`} title="Logical size over the new bytes this snapshot stored">
            {dedupText(s.dedup_ratio)}
          </td>
          <td className={`${TD} text-right whitespace-nowrap tabular-nums`}>{formatMs(s.duration_ms)}</td>
          <td className={`${TD} text-right whitespace-nowrap`}>
            <Button size="sm" onClick={() => onRestore(s)} aria-label={`Restore snapshot ${s.short_id}`}>
              Restore…
            </Button>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
