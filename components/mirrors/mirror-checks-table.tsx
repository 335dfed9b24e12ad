'use client';

import { useState } from 'react';
import { formatMs } from '@/components/charts/format-units';
import { DataTable } from '@/components/tables/data-table';
import { TD } from '@/components/tables/table-styles';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Pagination } from '@/components/ui/pagination';
import { formatDateTime } from '@/lib/ui/format-time';
import { useMirrorChecks, type Mirror } from '@/lib/queries/use-mirrors';
import { CheckStateBadge } from './mirror-state-badge';

const PER_PAGE = 20;

/** Recent probes of one mirror (kept 7 days), newest first. */
export function MirrorChecksTable({ mirror }: { mirror: Mirror }) {
  const [page, setPage] = useState(1);
  const checks = useMirrorChecks(mirror.id, page, PER_PAGE);
  if (checks.error && !checks.data) return <ErrorState title="Could not load the check history" error={checks.error} />;
  if (!checks.data) return <p className="text-sm text-slate-600">Loading checks…</p>;
  if (checks.data.total === 0) return <EmptyState title="No checks yet">The first check runs within one check interval.</EmptyState>;
  return (
    <div className="space-y-3">
      <DataTable columns={['Time', 'Result', 'HTTP', { label: 'Latency', align: 'right' }, { label: 'Lag (changes)', align: 'right' }, 'State after', 'Error']}>
        {checks.data.checks.map((c) => (
          <tr key={c.id}>
            <td className={`${TD} whitespace-nowrap`}>{formatDateTime(c.at)}</td>
            <td className={TD}>{c.ok ? 'ok' : <span className="font-medium text-red-700">failed</span>}</td>
            <td className={`${TD} tabular-nums`}>{c.http_status ?? '—'}</td>
            <td className={`${TD} text-right tabular-nums`}>{c.latency_ms === null ? '—' : formatMs(c.latency_ms)}</td>
            <td className={`${TD} text-right tabular-nums`}>{c.lag_changes ?? '—'}</td>
            <td className={TD}>
              <CheckStateBadge state={c.state} />
            </td>
            <td className={`${TD} text-xs break-words text-slate-600`}>{c.error ?? ''}</td>
          </tr>
        ))}
      </DataTable>
      <Pagination page={page} perPage={PER_PAGE} total={checks.data.total} shown={checks.data.checks.length} onPageChange={setPage} />
    </div>
  );
}
