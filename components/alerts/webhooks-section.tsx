'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { deleteWebhookAction, testWebhookAction } from '@/app/(dashboard)/alerts/actions';
import { ConfirmDialog } from '@/components/forms/confirm-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { RelativeTime } from '@/components/ui/relative-time';
import { useWebhooks, type Webhook } from '@/lib/queries/use-alerts';
import { unwrapAction } from '@/lib/ui/unwrap-action';
import { DeliveriesTable } from './deliveries-table';
import { NewWebhookDialog } from './new-webhook-dialog';
import { SEVERITY_TONE } from './alert-units';

/** Where notifications go: add (secret shown once), test-send, delete, and each one's deliveries. */
export function WebhooksSection({ canManage, onChanged }: { canManage: boolean; onChanged: () => Promise<unknown> }) {
  const webhooks = useWebhooks();
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [tested, setTested] = useState<number | null>(null);
  const test = useMutation({
    mutationFn: (id: number) => unwrapAction(testWebhookAction({ id })),
    onSuccess: (_data, id) => {
      setTested(id);
      setOpen(id);
    },
  });
  const remove = useMutation({
    mutationFn: (id: number) => unwrapAction(deleteWebhookAction({ id })),
    onSuccess: async () => {
      await onChanged();
      setDeleting(null);
    },
  });

  return (
    <section aria-labelledby="webhooks-heading" className="space-y-3">
      <div className="flex items-center justify-between gap-3">
        <h2 id="webhooks-heading" className="text-lg font-semibold text-slate-900">
          Webhooks
        </h2>
        {canManage && (
          <Button variant="primary" onClick={() => setAdding(true)}>
            Add webhook
          </Button>
        )}
      </div>
      {webhooks.error && !webhooks.data && <ErrorState title="Could not load the webhooks" error={webhooks.error} />}
      {webhooks.data?.webhooks.length === 0 && (
        <EmptyState title="No webhooks yet">
          Add one to be notified: each alert that fires or resolves is sent as a signed HTTP POST of JSON, retried until the receiver answers 2xx.
        </EmptyState>
      )}
      {test.error && <ErrorState title="Could not send the test" error={test.error} />}
      <ul className="space-y-3">
        {webhooks.data?.webhooks.map((w) => (
          <li key={w.id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-label={`Webhook ${w.name}`}>
            <div className="flex flex-wrap items-start justify-between gap-3">
              <div className="min-w-0">
                <p className="font-semibold text-slate-900">
                  {w.name} <Badge tone={SEVERITY_TONE[w.min_severity]}>{w.min_severity} and above</Badge>
                </p>
                <p className="font-mono text-xs break-all text-slate-600">{w.url}</p>
                <p className="mt-1 text-xs text-slate-600">
                  {w.last_delivery ? (
                    <>
                      Last delivery <RelativeTime ms={w.last_delivery.at} />:{' '}
                      {w.last_delivery.status_code !== null ? `HTTP ${w.last_delivery.status_code}` : (w.last_delivery.error ?? 'no answer')}
                    </>
                  ) : (
                    'Nothing delivered yet'
                  )}
                </p>
              </div>
              <div className="flex gap-2">
                {canManage && (
                  <Button size="sm" onClick={() => test.mutate(w.id)} disabled={test.isPending} aria-label={`Send a test to ${w.name}`}>
                    Send test
                  </Button>
                )}
                <Button size="sm" onClick={() => setOpen(open === w.id ? null : w.id)} aria-expanded={open === w.id}>
                  {open === w.id ? 'Hide deliveries' : 'Deliveries'}
                </Button>
                {canManage && (
                  <Button size="sm" variant="danger-outline" onClick={() => setDeleting(w)} aria-label={`Delete ${w.name}`}>
                    Delete
                  </Button>
                )}
              </div>
            </div>
            {tested === w.id && (
              <p role="status" className="mt-2 text-xs text-slate-600">
                Test queued: it appears below once delivered.
              </p>
            )}
            {open === w.id && (
              <div className="mt-3">
                <DeliveriesTable webhook={w} />
              </div>
            )}
          </li>
        ))}
      </ul>
      <NewWebhookDialog open={adding} onClose={() => setAdding(false)} onCreated={onChanged} />
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete webhook ${deleting?.name ?? ''}?`}
        confirmLabel="Delete webhook"
        pending={remove.isPending}
        error={remove.error}
        errorTitle="Could not delete the webhook"
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        onClose={() => {
          remove.reset();
          setDeleting(null);
        }}
      >
        <p>Notifications stop going to {deleting?.url}, and its delivery history is deleted with it.</p>
      </ConfirmDialog>
    </section>
  );
}
