'use client';

import { useState } from 'react';
import { formatMs } from '@/components/charts/format-units';
import { DataTable } from '@/components/tables/data-table';
import { TD } from '@/components/tables/table-styles';
import { Badge } from '@/components/ui/badge';
import { ErrorState } from '@/components/ui/error-state';
import { Pagination } from '@/components/ui/pagination';
import { RelativeTime } from '@/components/ui/relative-time';
import { useDeliveries, type Webhook } from '@/lib/queries/use-alerts';

const PER_PAGE = 10;

/** Each attempt to deliver to one webhook: status code, the start of the answer, the error. */
export function DeliveriesTable({ webhook }: { webhook: Webhook }) {
  const [page, setPage] = useState(1);
  const deliveries = useDeliveries(webhook.id, page, PER_PAGE);
  if (deliveries.error && !deliveries.data) return <ErrorState title="Could not load the deliveries" error={deliveries.error} />;
  if (!deliveries.data) return <p className="text-sm text-slate-600">Loading deliveries…</p>;
  if (deliveries.data.total === 0) {
    return <p className="text-sm text-slate-600">No deliveries yet. Each firing or resolved alert (and each test) appears here with the receiver&apos;s answer.</p>;
  }
  return (
    <div className="space-y-2" aria-label={`Deliveries to ${webhook.name}`} role="region">
      <DataTable columns={['When', 'Event', 'Attempt', 'Status', 'Time', 'Response / error']}>
        {deliveries.data.deliveries.map((d) => {
          const ok = d.status_code !== null && d.status_code >= 200 && d.status_code < 300;
          return (
            <tr key={d.id} className="align-top">
              <td className={`${TD} whitespace-nowrap text-slate-600`}>
                <RelativeTime ms={d.at} />
              </td>
              <td className={TD}>{d.event ?? '—'}</td>
              <td className={`${TD} tabular-nums`}>{d.attempt}</td>
              <td className={TD}>
                <Badge tone={ok ? 'success' : 'danger'}>{d.status_code ?? 'no answer'}</Badge>
              </td>
              <td className={`${TD} whitespace-nowrap tabular-nums`}>{d.duration_ms === null ? '—' : formatMs(d.duration_ms)}</td>
              <td className={`${TD} max-w-md`}>
                {d.error && <p className="text-red-700">{d.error}</p>}
                {d.response && (
                  <details>
                    <summary className="cursor-pointer text-xs text-slate-600">Response ({d.response.length} characters)</summary>
                    <pre className="mt-1 max-h-40 overflow-auto rounded bg-slate-50 p-2 text-xs whitespace-pre-wrap">{d.response}</pre>
                  </details>
                )}
              </td>
            </tr>
          );
        })}
      </DataTable>
      <Pagination page={page} perPage={PER_PAGE} total={deliveries.data.total} shown={deliveries.data.deliveries.length} onPageChange={setPage} />
    </div>
  );
}
