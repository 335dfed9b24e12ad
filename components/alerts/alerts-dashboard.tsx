'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ackAlertAction, deleteRuleAction, evaluateAlertsAction } from '@/app/(dashboard)/alerts/actions';
import { QueryErrorState } from '@/components/auth/query-error-state';
import { ConfirmDialog } from '@/components/forms/confirm-dialog';
import { TableSkeleton } from '@/components/tables/table-skeleton';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Pagination } from '@/components/ui/pagination';
import { alertsKey, useAlertRules, useAlerts, type AlertRule } from '@/lib/queries/use-alerts';
import { hasPermission, useMe } from '@/lib/queries/use-me';
import { unwrapAction } from '@/lib/ui/unwrap-action';
import { ActiveAlertsTable } from './active-alerts-table';
import { AlertHistoryTable } from './alert-history-table';
import { RuleEditorDialog } from './rule-editor-dialog';
import { RulesTable } from './rules-table';
import { SilenceDialog } from './silence-dialog';
import { WebhooksSection } from './webhooks-section';

const PER_PAGE = 20;

/** Active alerts, rules, history and webhooks; changes need ManageAlerts, reading ViewStats. */
export function AlertsDashboard() {
  const me = useMe();
  const canManage = hasPermission(me.data?.user, 'ManageAlerts');
  const [page, setPage] = useState(1);
  const alerts = useAlerts(page, PER_PAGE);
  const rules = useAlertRules();
  const [editing, setEditing] = useState<AlertRule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<AlertRule | null>(null);
  const [silencing, setSilencing] = useState<AlertRule | null>(null);

  const queryClient = useQueryClient();
  const invalidate = () => queryClient.invalidateQueries({ queryKey: alertsKey });
  const ack = useMutation({ mutationFn: (id: number) => unwrapAction(ackAlertAction({ id })), onSuccess: invalidate });
  const evaluate = useMutation({ mutationFn: () => unwrapAction(evaluateAlertsAction({})), onSuccess: invalidate });
  const remove = useMutation({
    mutationFn: (id: number) => unwrapAction(deleteRuleAction({ id })),
    onSuccess: async () => {
      await invalidate();
      setDeleting(null);
    },
  });

  if (alerts.isPending) return <TableSkeleton label="Loading alerts…" columns={6} />;
  if (!alerts.data) return <QueryErrorState error={alerts.error} title="Could not load alerts" forbidden="You need ViewStats or ManageAlerts to see alerts" />;
  const data = alerts.data;

  return (
    <div className="space-y-8">
      <section aria-labelledby="active-heading" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="active-heading" className="text-lg font-semibold text-slate-900">
            Active alerts
          </h2>
          {canManage && (
            <Button onClick={() => evaluate.mutate()} disabled={evaluate.isPending} aria-busy={evaluate.isPending}>
              Evaluate now
            </Button>
          )}
        </div>
        {evaluate.data && (
          <p role="status" className="text-sm text-slate-600">
            Evaluated {evaluate.data.outcomes.length} {evaluate.data.outcomes.length === 1 ? 'rule' : 'rules'}:{' '}
            {evaluate.data.outcomes.filter((o) => o.state === 'firing').length} firing, {evaluate.data.outcomes.filter((o) => o.state === 'pending').length} pending.
          </p>
        )}
        {evaluate.error && <ErrorState title="Could not evaluate the rules" error={evaluate.error} />}
        {ack.error && <ErrorState title="Could not acknowledge the alert" error={ack.error} />}
        {data.active.length === 0 ? (
          <EmptyState title="Nothing is firing">
            {rules.data?.rules.length
              ? 'Every rule is within its threshold. Rules are evaluated every minute; an alert shows here while its condition holds.'
              : 'Add a rule below: alerts appear here when a rule’s condition holds for its "for" duration.'}
          </EmptyState>
        ) : (
          <ActiveAlertsTable alerts={data.active} canManage={canManage} onAck={(r) => ack.mutate(r.id)} onSilence={setSilencing} />
        )}
      </section>

      <section aria-labelledby="rules-heading" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="rules-heading" className="text-lg font-semibold text-slate-900">
            Rules
          </h2>
          {canManage && (
            <Button variant="primary" onClick={() => setEditing('new')}>
              New rule
            </Button>
          )}
        </div>
        {rules.error && !rules.data && <ErrorState title="Could not load the rules" error={rules.error} />}
        {rules.data?.rules.length === 0 && (
          <EmptyState title="No alert rules yet">
            A rule watches a figure of a series (download p95, API error rate, bytes served, storage used…) over a window and alerts when it crosses a threshold for long enough.
          </EmptyState>
        )}
        {rules.data && rules.data.rules.length > 0 && <RulesTable rules={rules.data.rules} canManage={canManage} onEdit={setEditing} onDelete={setDeleting} />}
      </section>

      <section aria-labelledby="history-heading" className="space-y-3">
        <h2 id="history-heading" className="text-lg font-semibold text-slate-900">
          History
        </h2>
        {data.total === 0 ? (
          <EmptyState title="No alert history yet">Firing, resolved, acknowledged and silenced alerts are listed here as they happen.</EmptyState>
        ) : (
          <>
            <AlertHistoryTable events={data.events} />
            <Pagination page={data.page} perPage={data.per_page} total={data.total} shown={data.events.length} onPageChange={setPage} />
          </>
        )}
      </section>

      <WebhooksSection canManage={canManage} onChanged={invalidate} />

      <RuleEditorDialog open={editing !== null} rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={invalidate} />
      <SilenceDialog rule={silencing} onClose={() => setSilencing(null)} onDone={invalidate} />
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete rule ${deleting?.name ?? ''}?`}
        confirmLabel="Delete rule"
        pending={remove.isPending}
        error={remove.error}
        errorTitle="Could not delete the rule"
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        onClose={() => {
          remove.reset();
          setDeleting(null);
        }}
      >
        <p>The rule stops being evaluated and its active alert disappears. Its history stays.</p>
      </ConfirmDialog>
    </div>
  );
}
