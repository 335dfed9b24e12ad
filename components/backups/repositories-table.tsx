'use client';

import { DataTable } from '@/components/tables/data-table';
import { TD } from '@/components/tables/table-styles';
import { backendSummary } from '@/components/replication/replication-format';
import { Button } from '@/components/ui/button';
import { RelativeTime } from '@/components/ui/relative-time';
import type { RepositoryView } from '@/lib/queries/use-backups';
import { formatBytes } from '@/lib/ui/format-bytes';
import { formatCount } from '@/lib/ui/format-count';
import { dedupText, passwordSourceText } from './backup-format';

type Props = { repositories: RepositoryView[]; selected: string | null; onSelect: (id: string) => void; onRemove: (repo: RepositoryView) => void };

/** Every configured repository: where it is (no secrets), its size and ratio, its last runs; a failing one in red. */
export function RepositoriesTable({ repositories, selected, onSelect, onRemove }: Props) {
  return (
    <DataTable
      columns={[
        'Repository',
        { label: 'Snapshots', align: 'right' },
        { label: 'Stored', align: 'right' },
        { label: 'Logical', align: 'right' },
        { label: 'Dedup', align: 'right' },
        'Last success',
        'Schedule',
        { label: 'Actions', srOnly: true },
      ]}
    >
      {repositories.map((r) => {
        const location = backendSummary(r.backend);
        const failing = r.last_error !== null && (r.last_success_at === null || (r.last_run_at ?? 0) > r.last_success_at);
        const isSelected = r.id === selected;
        return (
          <tr
            key={r.id}
            aria-label={`Repository ${r.id}`}
            aria-selected={isSelected}
            data-repository-id={r.id}
            className={`align-top ${isSelected ? 'bg-indigo-50/60' : failing ? 'bg-red-50/60' : ''}`}
          >
            <td className={TD}>
              <p className="font-mono text-sm font-medium text-slate-900">{r.id}</p>
              {r.description && <p className="text-xs text-slate-700">{r.description}</p>}
              <p className="font-mono text-xs break-all text-slate-600" title={location.detail ?? undefined}>
                {location.label}
              </p>
              <p className="text-xs text-slate-500">password: {passwordSourceText(r.password_source)}</p>
              {r.last_error && <p className={`mt-0.5 text-xs break-words ${failing ? 'text-red-700' : 'text-slate-500'}`}>{failing ? r.last_error : `earlier error: ${r.last_error}`}</p>}
            </td>
            <td className={`${TD} text-right tabular-nums`}>{formatCount(r.snapshot_count)}</td>
            <td className={`${TD} text-right whitespace-nowrap tabular-nums`} data-stored-bytes={r.stored_bytes}>
              {formatBytes(r.stored_bytes)}
            </td>
            <td className={`${TD} text-right whitespace-nowrap tabular-nums`}>{formatBytes(r.logical_bytes)}</td>
            <td className={`${TD} text-right whitespace-nowrap tabular-nums`} title="Logical bytes of every snapshot over the bytes stored">
              {dedupText(r.dedup_ratio)}
            </td>
            <td className={`${TD} whitespace-nowrap`}>
              {r.last_success_at ? <RelativeTime ms={r.last_success_at} /> : <span className="text-slate-500">never</span>}
            </td>
            <td className={`${TD} font-mono text-xs whitespace-nowrap`}>{r.schedule_cron ?? <span className="font-sans text-slate-500">manual</span>}</td>
            <td className={`${TD} text-right whitespace-nowrap`}>
              <div className="flex justify-end gap-2">
                <Button size="sm" variant={isSelected ? 'primary' : 'secondary'} aria-pressed={isSelected} onClick={() => onSelect(r.id)} aria-label={`Open repository ${r.id}`}>
                  {isSelected ? 'Shown' : 'Open'}
                </Button>
                <Button size="sm" variant="danger-outline" onClick={() => onRemove(r)} aria-label={`Remove repository ${r.id}`}>
                  Remove
                </Button>
              </div>
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
