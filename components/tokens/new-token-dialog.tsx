'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { createTokenAction } from '@/app/(dashboard)/tokens/actions';
import { describePermission } from '@/components/admin/permission-info';
import { CheckboxList } from '@/components/forms/checkbox-list';
import { DialogActions } from '@/components/forms/dialog-actions';
import { TextField } from '@/components/forms/text-field';
import { Button } from '@/components/ui/button';
import { CommandSnippet } from '@/components/ui/command-snippet';
import { SecretOnce } from '@/components/ui/secret-once';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import type { Permission } from '@/lib/engine/access/permissions';
import { fieldErrors, unwrapAction } from '@/lib/ui/unwrap-action';
import { useOrigin } from '@/lib/ui/use-origin';

type NewTokenDialogProps = {
  open: boolean;
  /** The signed-in user's permissions: a token can carry at most these. */
  permissions: Permission[];
  onClose: () => void;
  onCreated: () => Promise<unknown>;
};

type NewTokenInput = { name: string; scopes: string[]; expiresInDays?: number };
type Created = { name: string; token: string };

export function NewTokenDialog({ open, permissions, onClose, onCreated }: NewTokenDialogProps) {
  const [pending, setPending] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Dialog open={open} title={created ? `Token ${created.name} created` : 'New token'} onClose={close} busy={pending}>
      {created ? (
        <TokenSecret token={created.token} onDone={close} />
      ) : (
        <NewTokenForm
          permissions={permissions}
          onCancel={close}
          onPendingChange={setPending}
          onCreated={async (result) => {
            setCreated(result);
            await onCreated();
          }}
        />
      )}
    </Dialog>
  );
}

type NewTokenFormProps = {
  permissions: Permission[];
  onCancel: () => void;
  onPendingChange: (pending: boolean) => void;
  onCreated: (created: Created) => Promise<void>;
};

function NewTokenForm({ permissions, onCancel, onPendingChange, onCreated }: NewTokenFormProps) {
  const [scopes, setScopes] = useState<string[]>(permissions);
  const [scopeError, setScopeError] = useState(false);
  const create = useMutation({
    mutationFn: (input: NewTokenInput) => unwrapAction(createTokenAction(input)),
    onMutate: () => onPendingChange(true),
    onSettled: () => onPendingChange(false),
    onSuccess: (data, input) => onCreated({ name: input.name, token: data.token }),
  });

  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        if (scopes.length === 0) {
          setScopeError(true);
          return;
        }
        const form = new FormData(event.currentTarget);
        const days = String(form.get('expiresInDays') ?? '').trim();
        create.mutate({
          name: String(form.get('name') ?? '').trim(),
          scopes,
          expiresInDays: days === '' ? undefined : Number(days),
        });
      }}
    >
      <TextField
        label="Name"
        name="name"
        autoComplete="off"
        required
        maxLength={100}
        placeholder="e.g. ci-publish"
        hint="What the token is for, so you recognise it later."
        errors={fieldErrors(create.error, 'name')}
      />
      <div className="max-h-64 overflow-y-auto rounded-md border border-slate-200 p-3">
        <CheckboxList
          legend="Scopes"
          hint="What the token may do. It never exceeds your own permissions, even if your roles change later. Without ManageOwnTokens and ManageOwnKeys it cannot create or revoke tokens nor change your signing keys: leave them off for CI."
          options={permissions.map((permission) => ({ value: permission, label: permission, description: describePermission(permission) }))}
          selected={scopes}
          bulk
          onChange={(next) => {
            setScopes(next);
            setScopeError(false);
          }}
        />
      </div>
      {scopeError && (
        <p role="alert" className="text-sm text-red-700">
          Choose at least one scope.
        </p>
      )}
      <TextField
        label="Expires in days"
        name="expiresInDays"
        type="number"
        min={1}
        max={3650}
        step={1}
        inputMode="numeric"
        hint="Leave empty for a token that never expires."
        className="max-w-48"
        errors={fieldErrors(create.error, 'expiresInDays')}
      />
      {create.error && <ErrorState title="Could not create the token" error={create.error} />}
      <DialogActions submitLabel="Create token" pending={create.isPending} onCancel={onCancel} />
    </form>
  );
}

function TokenSecret({ token, onDone }: { token: string; onDone: () => void }) {
  const origin = useOrigin();
  return (
    <div className="space-y-4">
      <SecretOnce
        title="This token will not be shown again."
        hint="Copy it now and store it in your CI secrets or a password manager."
        value={token}
        label="New token secret"
        copyLabel="Copy token"
      />
      <div className="space-y-1.5">
        <p className="text-sm font-medium text-slate-900">Use it</p>
        <CommandSnippet command={`curl -H "Authorization: Bearer ${token}" ${origin}/api/v1/me`} label="Copy command" />
      </div>
      <div className="flex justify-end">
        <Button variant="primary" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}
