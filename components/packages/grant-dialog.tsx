'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { setGrantAction } from '@/app/(dashboard)/packages/[name]/actions';
import { describePermission } from '@/components/admin/permission-info';
import { CheckboxList } from '@/components/forms/checkbox-list';
import { DialogActions } from '@/components/forms/dialog-actions';
import { TextField } from '@/components/forms/text-field';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import { PACKAGE_PERMISSIONS, type PackageGrant } from '@/lib/queries/use-package-access';
import { fieldErrors, unwrapAction } from '@/lib/ui/unwrap-action';

export type GrantEdit = { kind: 'add' } | { kind: 'edit'; grant: PackageGrant };

type GrantDialogProps = {
  name: string;
  editing: GrantEdit | null;
  onClose: () => void;
  onSaved: () => Promise<unknown>;
};

/** "Add grant" (username + permissions) or editing one user's grant. */
export function GrantDialog({ name, editing, onClose, onSaved }: GrantDialogProps) {
  const [pending, setPending] = useState(false);
  const title = editing?.kind === 'edit' ? `Edit grant for ${editing.grant.username}` : 'Add grant';
  return (
    <Dialog open={editing !== null} title={title} onClose={onClose} busy={pending}>
      {editing && (
        <GrantForm
          key={editing.kind === 'edit' ? editing.grant.username : ''}
          name={name}
          editing={editing}
          onClose={onClose}
          onSaved={onSaved}
          onPendingChange={setPending}
        />
      )}
    </Dialog>
  );
}

type GrantFormProps = Omit<GrantDialogProps, 'editing'> & { editing: GrantEdit; onPendingChange: (pending: boolean) => void };

function GrantForm({ name, editing, onClose, onSaved, onPendingChange }: GrantFormProps) {
  const [permissions, setPermissions] = useState<string[]>(
    editing.kind === 'edit' ? editing.grant.permissions : ['ReadMetadata', 'Download'],
  );
  const [emptyError, setEmptyError] = useState(false);
  const save = useMutation({
    mutationFn: (input: { username: string; permissions: string[] }) => unwrapAction(setGrantAction({ name, ...input })),
    onMutate: () => onPendingChange(true),
    onSettled: () => onPendingChange(false),
    onSuccess: async () => {
      await onSaved();
      onClose();
    },
  });

  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        if (permissions.length === 0) {
          setEmptyError(true);
          return;
        }
        const username = editing.kind === 'edit' ? editing.grant.username : String(new FormData(event.currentTarget).get('username') ?? '').trim();
        save.mutate({ username, permissions });
      }}
    >
      {editing.kind === 'add' && (
        <TextField
          label="Username"
          name="username"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          required
          autoFocus
          errors={fieldErrors(save.error, 'username')}
        />
      )}
      <CheckboxList
        legend="Permissions on this package"
        options={PACKAGE_PERMISSIONS.map((permission) => ({ value: permission, label: permission, description: describePermission(permission) }))}
        selected={permissions}
        onChange={(next) => {
          setPermissions(next);
          setEmptyError(false);
        }}
      />
      {emptyError && (
        <p role="alert" className="text-sm text-red-700">
          Choose at least one permission, or use Remove to take the grant away.
        </p>
      )}
      {save.error && <ErrorState title="Could not save this grant" error={save.error} />}
      <DialogActions submitLabel="Save grant" pending={save.isPending} onCancel={onClose} />
    </form>
  );
}
