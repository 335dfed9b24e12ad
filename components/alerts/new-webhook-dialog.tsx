'use client';

import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { createWebhookAction } from '@/app/(dashboard)/alerts/actions';
import { DialogActions } from '@/components/forms/dialog-actions';
import { INPUT_CLASSES, TextField } from '@/components/forms/text-field';
import { Button } from '@/components/ui/button';
import { SecretOnce } from '@/components/ui/secret-once';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import { SEVERITIES, type Severity } from '@/lib/engine/alerts/alert-stat';
import { fieldErrors, unwrapAction } from '@/lib/ui/unwrap-action';

type NewWebhookDialogProps = { open: boolean; onClose: () => void; onCreated: () => Promise<unknown> };

/** Add a webhook; its signing secret is shown here once and never again. */
export function NewWebhookDialog({ open, onClose, onCreated }: NewWebhookDialogProps) {
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const severityId = useId();
  const create = useMutation({
    mutationFn: (input: { name: string; url: string; min_severity: Severity }) => unwrapAction(createWebhookAction(input)),
    onSuccess: async (data) => {
      setSecret({ name: data.webhook.name, secret: data.secret });
      await onCreated();
    },
  });
  const close = () => {
    setSecret(null);
    create.reset();
    onClose();
  };
  return (
    <Dialog open={open} title={secret ? `Webhook ${secret.name} added` : 'Add webhook'} onClose={close} busy={create.isPending}>
      {secret ? (
        <WebhookSecret secret={secret.secret} onDone={close} />
      ) : (
        <form
          className="space-y-4"
          onSubmit={(event) => {
            event.preventDefault();
            const form = new FormData(event.currentTarget);
            create.mutate({ name: String(form.get('name') ?? '').trim(), url: String(form.get('url') ?? '').trim(), min_severity: form.get('min_severity') as Severity });
          }}
        >
          <TextField label="Name" name="name" required maxLength={100} placeholder="e.g. ops-pager" errors={fieldErrors(create.error, 'name')} />
          <TextField
            label="URL"
            name="url"
            type="url"
            required
            placeholder="https://hooks.example.com/torsh"
            hint="Receives an HTTP POST of JSON for each firing and resolved alert, signed with the secret shown next."
            errors={fieldErrors(create.error, 'url')}
          />
          <div>
            <label htmlFor={severityId} className="block text-sm font-medium text-slate-900">
              Minimum severity
            </label>
            <select id={severityId} name="min_severity" defaultValue="info" className={`mt-1.5 ${INPUT_CLASSES}`}>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
          {create.error && <ErrorState title="Could not add the webhook" error={create.error} />}
          <DialogActions submitLabel="Add webhook" pending={create.isPending} onCancel={close} />
        </form>
      )}
    </Dialog>
  );
}

function WebhookSecret({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <div className="space-y-4">
      <SecretOnce
        title="This signing secret will not be shown again."
        hint={
          <>
            Store it with the receiver: it verifies <code>X-Torsh-Signature</code> = <code>sha256=</code>HMAC-SHA256(secret, timestamp + &quot;.&quot; + body).
          </>
        }
        value={secret}
        label="Webhook signing secret"
        copyLabel="Copy secret"
      />
      <div className="flex justify-end">
        <Button variant="primary" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}
