'use client';

import { useState } from 'react';
import { DataTable } from '@/components/tables/data-table';
import { TD } from '@/components/tables/table-styles';
import { Button } from '@/components/ui/button';
import { ErrorState } from '@/components/ui/error-state';
import { Pagination } from '@/components/ui/pagination';
import { RelativeTime } from '@/components/ui/relative-time';
import { useRecoveryPoints, type SnapshotView } from '@/lib/queries/use-backups';
import { formatBytes } from '@/lib/ui/format-bytes';
import { snapshotContent } from './backup-format';

export const RECOVERY_POINTS_PER_PAGE = 10;

/** Named recovery points, apart from the snapshots (the server filters them): retention never removes them. */
export function RecoveryPoints({ repositoryId, onRestore }: { repositoryId: string; onRestore: (snapshot: SnapshotView) => void }) {
  const [page, setPage] = useState(1);
  const points = useRecoveryPoints(repositoryId, { page, perPage: RECOVERY_POINTS_PER_PAGE });
  return (
    <section aria-labelledby="recovery-points-heading" className="space-y-2">
      <div>
        <h3 id="recovery-points-heading" className="text-base font-semibold text-slate-900">
          Recovery points
        </h3>
        <p className="text-sm text-slate-600">Named snapshots kept whatever the retention policy says: restore the registry to one of them after a bad deploy.</p>
      </div>
      {points.error && !points.data ? (
        <ErrorState title="Could not load the recovery points" error={points.error} />
      ) : !points.data ? (
        <p className="text-sm text-slate-600">Loading recovery points…</p>
      ) : points.data.total === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 px-4 py-3 text-sm text-slate-600">
          No recovery points yet. Give a recovery point name in “Back up now” (or <code className="font-mono text-xs">torsh backup create --recovery-point NAME</code>) and it is listed here.
        </p>
      ) : (
        <>
          <DataTable columns={['Name', 'Description', 'Taken', 'Snapshot', 'Content', { label: 'Logical size', align: 'right' }, { label: 'Actions', srOnly: true }]}>
            {points.data.snapshots.map((s) => (
              <tr key={s.id} aria-label={`Recovery point ${s.recovery_point!.name}`} className="align-top">
                <td className={`${TD} font-medium`}>{s.recovery_point!.name}</td>
                <td className={`${TD} max-w-sm text-sm break-words text-slate-700`}>{s.recovery_point!.description ?? <span className="text-slate-400">—</span>}</td>
                <td className={`${TD} whitespace-nowrap`}>
                  <RelativeTime ms={s.time} />
                </td>
                <td className={`${TD} font-mono text-xs`}>{s.short_id}</td>
                <td className={TD}>{snapshotContent(s)}</td>
                <td className={`${TD} text-right whitespace-nowrap tabular-nums`}>{formatBytes(s.logical_bytes)}</td>
                <td className={`${TD} text-right`}>
                  <Button size="sm" onClick={() => onRestore(s)} aria-label={`Restore recovery point ${s.recovery_point!.name}`}>
                    Restore…
                  </Button>
                </td>
              </tr>
            ))}
          </DataTable>
          {points.data.total > RECOVERY_POINTS_PER_PAGE && (
            <Pagination page={page} perPage={RECOVERY_POINTS_PER_PAGE} total={points.data.total} shown={points.data.snapshots.length} onPageChange={setPage} />
          )}
        </>
      )}
    </section>
  );
}
