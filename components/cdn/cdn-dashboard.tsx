'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { removeEdgeAction } from '@/app/(dashboard)/cdn/actions';
import { QueryErrorState } from '@/components/auth/query-error-state';
import { formatPercent } from '@/components/charts/format-units';
import { KpiCard } from '@/components/charts/kpi-card';
import { ConfirmDialog } from '@/components/forms/confirm-dialog';
import { TimeRangePicker } from '@/components/overview/time-range-picker';
import { TableSkeleton } from '@/components/tables/table-skeleton';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Pagination } from '@/components/ui/pagination';
import { edgesKey, useCdnTraffic, useEdges, type Edge } from '@/lib/queries/use-edges';
import { formatBytes } from '@/lib/ui/format-bytes';
import { formatCount } from '@/lib/ui/format-count';
import { DEFAULT_RANGE, rangeLabel, type TimeRangeChoice } from '@/lib/ui/time-range';
import { unwrapAction } from '@/lib/ui/unwrap-action';
import { CdnCharts } from './cdn-charts';
import { EdgeFormDialog } from './edge-form-dialog';
import { EdgesTable } from './edges-table';
import { PurgeDialog } from './purge-dialog';

const PER_PAGE = 20;

/** The CDN page (ManageCdn): edges with their state, traffic charts, register / edit / remove / purge. */
export function CdnDashboard() {
  const [range, setRange] = useState<TimeRangeChoice>(DEFAULT_RANGE);
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Edge | 'new' | null>(null);
  const [removing, setRemoving] = useState<Edge | null>(null);
  const [purging, setPurging] = useState<Edge | null>(null);
  const edges = useEdges();
  const traffic = useCdnTraffic(range, edges.isSuccess);
  const queryClient = useQueryClient();
  const invalidate = () => queryClient.invalidateQueries({ queryKey: edgesKey });
  const remove = useMutation({
    mutationFn: (id: number) => unwrapAction(removeEdgeAction({ id })),
    onSuccess: async () => {
      await invalidate();
      setRemoving(null);
    },
  });

  if (edges.isPending) return <TableSkeleton label="Loading edges…" columns={7} />;
  if (!edges.data) return <QueryErrorState error={edges.error} title="Could not load the edges" forbidden="You need the ManageCdn permission to see the CDN" />;
  const list = edges.data.edges;
  const shown = list.slice((page - 1) * PER_PAGE, page * PER_PAGE);
  const totals = traffic.data?.overall.totals;
  const healthy = list.filter((e) => e.state === 'healthy').length;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <TimeRangePicker value={range} onChange={setRange} />
        <Button variant="primary" onClick={() => setEditing('new')}>
          Register edge
        </Button>
      </div>

      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <KpiCard label="Edges healthy" value={`${formatCount(healthy)} / ${formatCount(list.length)}`} />
        <KpiCard label="Hit rate" value={totals?.hit_rate == null ? '—' : formatPercent(totals.hit_rate)} hint={rangeLabel(range)} />
        <KpiCard label="From cache" value={totals ? formatBytes(totals.bytes_from_cache) : '—'} hint={rangeLabel(range)} />
        <KpiCard label="From origin" value={totals ? formatBytes(totals.bytes_from_origin) : '—'} hint={rangeLabel(range)} />
      </dl>

      {traffic.error && !traffic.data && <ErrorState title="Could not load the CDN traffic" error={traffic.error} />}
      {traffic.data && list.length > 0 && <CdnCharts traffic={traffic.data} />}

      <section aria-labelledby="edges-heading" className="space-y-3">
        <h2 id="edges-heading" className="text-lg font-semibold text-slate-900">
          Edges
        </h2>
        {list.length === 0 ? (
          <EmptyState title="No edges registered" action={<Button variant="primary" onClick={() => setEditing('new')}>Register edge</Button>}>
            Start an edge cache with <code>torsh serve --role edge --origin URL --cache-size 10GB --data DIR --port N --purge-token T</code>, then register it
            here. Its hit rate and bytes served appear within a collection (every 15 s by default).
          </EmptyState>
        ) : (
          <>
            <EdgesTable edges={shown} canManage onPurge={setPurging} onEdit={setEditing} onRemove={setRemoving} />
            {list.length > PER_PAGE && <Pagination page={page} perPage={PER_PAGE} total={list.length} shown={shown.length} onPageChange={setPage} />}
          </>
        )}
      </section>

      <EdgeFormDialog edge={editing} onClose={() => setEditing(null)} onSaved={invalidate} />
      <PurgeDialog edge={purging} edges={list} onClose={() => setPurging(null)} onDone={invalidate} />
      <ConfirmDialog
        open={removing !== null}
        title={`Remove edge ${removing?.url ?? ''}?`}
        confirmLabel="Remove edge"
        pending={remove.isPending}
        error={remove.error}
        errorTitle="Could not remove the edge"
        onConfirm={() => removing && remove.mutate(removing.id)}
        onClose={() => {
          remove.reset();
          setRemoving(null);
        }}
      >
        <p>
          The origin stops collecting its statistics and stops purging it on yanks and deletes; the edge process itself keeps running and keeps what it
          cached. Its recorded traffic stays in the charts.
        </p>
      </ConfirmDialog>
    </div>
  );
}
