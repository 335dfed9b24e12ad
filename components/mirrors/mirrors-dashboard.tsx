'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { removeMirrorAction } from '@/app/(dashboard)/mirrors/actions';
import { QueryErrorState } from '@/components/auth/query-error-state';
import { ConfirmDialog } from '@/components/forms/confirm-dialog';
import { TableSkeleton } from '@/components/tables/table-skeleton';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { mirrorsKey, useMirrorSettings, useMirrors, type Mirror } from '@/lib/queries/use-mirrors';
import { unwrapAction } from '@/lib/ui/unwrap-action';
import { MirrorCharts } from './mirror-charts';
import { MirrorChecksTable } from './mirror-checks-table';
import { MirrorDialog } from './mirror-dialog';
import { MirrorsTable } from './mirrors-table';
import { RegionRangesEditor, StrategySelector } from './selection-settings';

/** The Mirrors page: live state of every mirror, add / edit / remove, charts, check history, selection settings. */
export function MirrorsDashboard() {
  const mirrors = useMirrors();
  const settings = useMirrorSettings();
  const queryClient = useQueryClient();
  const invalidate = () => queryClient.invalidateQueries({ queryKey: mirrorsKey });
  const [editing, setEditing] = useState<Mirror | 'new' | null>(null);
  const [removing, setRemoving] = useState<Mirror | null>(null);
  const [historyId, setHistoryId] = useState<number | null>(null);
  const remove = useMutation({
    mutationFn: (id: number) => unwrapAction(removeMirrorAction({ id })),
    onSuccess: async () => {
      await invalidate();
      setRemoving(null);
    },
  });

  if (mirrors.isPending) return <TableSkeleton label="Loading mirrors…" columns={8} />;
  if (!mirrors.data) return <QueryErrorState error={mirrors.error} title="Could not load mirrors" forbidden="You need ManageMirrors to see mirrors" />;
  const list = mirrors.data.mirrors;
  const checks = settings.data?.checks;
  const history = list.find((m) => m.id === historyId) ?? list[0] ?? null;
  const counts = { healthy: 0, degraded: 0, unhealthy: 0 };
  for (const m of list) counts[m.state] += 1;

  return (
    <div className="space-y-8">
      <section aria-labelledby="mirrors-heading" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <div>
            <h2 id="mirrors-heading" className="text-lg font-semibold text-slate-900">
              Mirrors
            </h2>
            <p className="text-sm text-slate-600" aria-live="polite">
              {list.length === 0
                ? 'None registered.'
                : `${counts.healthy} healthy, ${counts.degraded} degraded, ${counts.unhealthy} unhealthy`}
              {checks && ` · checked every ${checks.interval_s} s; degraded above ${checks.degraded_ms} ms or ${checks.degraded_lag} changes behind; a state changes after ${checks.flap_threshold} agreeing checks`}
            </p>
          </div>
          <Button variant="primary" onClick={() => setEditing('new')}>
            Add mirror
          </Button>
        </div>
        {list.length === 0 ? (
          <EmptyState title="No mirrors yet" action={<Button variant="primary" onClick={() => setEditing('new')}>Add mirror</Button>}>
            Start one with <code className="font-mono">torsh serve --role mirror --upstream &lt;this origin&gt; --data DIR --port N</code>, then add its URL here. The origin probes it
            first, then checks its health every few seconds; its state, latency and lag appear here and in the charts below.
          </EmptyState>
        ) : (
          <MirrorsTable mirrors={list} flapThreshold={checks?.flap_threshold} onEdit={setEditing} onRemove={setRemoving} onHistory={(m) => setHistoryId(m.id)} />
        )}
      </section>

      {list.length > 0 && <MirrorCharts mirrors={list} intervalS={checks?.interval_s ?? 10} />}

      {history && (
        <section aria-labelledby="checks-heading" className="space-y-3">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h2 id="checks-heading" className="text-lg font-semibold text-slate-900">
              Recent checks
            </h2>
            <label className="flex items-center gap-2 text-sm text-slate-700">
              Mirror
              <select value={history.id} onChange={(e) => setHistoryId(Number(e.target.value))} className="h-9 rounded-md border border-slate-300 bg-white px-2 text-sm">
                {list.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.url}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <MirrorChecksTable key={history.id} mirror={history} />
        </section>
      )}

      {settings.data && (
        <section aria-labelledby="selection-heading" className="space-y-3">
          <h2 id="selection-heading" className="text-lg font-semibold text-slate-900">
            Download selection
          </h2>
          <p className="text-sm text-slate-600">
            <code className="font-mono">GET /api/v1/packages/&#123;name&#125;/&#123;version&#125;/locations</code> lists the mirrors that hold a version in this order, then
            healthy edges, then this origin; <code className="font-mono">?redirect=1</code> on a download redirects to the first of them.
          </p>
          <div className="grid gap-4 lg:grid-cols-2">
            <Card title="Strategy">
              <div className="p-4">
                <StrategySelector key={settings.data.strategy} settings={settings.data} onSaved={invalidate} />
              </div>
            </Card>
            <Card title="Region ranges">
              <div className="p-4">
                <RegionRangesEditor key={settings.dataUpdatedAt} settings={settings.data} onSaved={invalidate} />
              </div>
            </Card>
          </div>
        </section>
      )}

      <MirrorDialog open={editing !== null} mirror={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={invalidate} />
      <ConfirmDialog
        open={removing !== null}
        title={`Remove mirror ${removing?.url ?? ''}?`}
        confirmLabel="Remove mirror"
        pending={remove.isPending}
        error={remove.error}
        errorTitle="Could not remove the mirror"
        onConfirm={() => removing && remove.mutate(removing.id)}
        onClose={() => {
          remove.reset();
          setRemoving(null);
        }}
      >
        <p className="text-sm text-slate-700">
          Downloads stop being sent to it and its check history is deleted. The mirror process keeps running; add it again to resume.
        </p>
      </ConfirmDialog>
    </div>
  );
}
