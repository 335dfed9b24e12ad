'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { createUserAction } from '@/app/(dashboard)/admin/users/actions';
import { CheckboxList } from '@/components/forms/checkbox-list';
import { DialogActions } from '@/components/forms/dialog-actions';
import { TextField } from '@/components/forms/text-field';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import { fieldErrors, unwrapAction } from '@/lib/ui/unwrap-action';

type NewUserDialogProps = {
  open: boolean;
  roleNames: string[];
  onClose: () => void;
  onCreated: () => Promise<unknown>;
};

export function NewUserDialog({ open, roleNames, onClose, onCreated }: NewUserDialogProps) {
  const [pending, setPending] = useState(false);
  return (
    <Dialog open={open} title="New user" onClose={onClose} busy={pending}>
      <NewUserForm roleNames={roleNames} onClose={onClose} onCreated={onCreated} onPendingChange={setPending} />
    </Dialog>
  );
}

type NewUserInput = { username: string; email: string; password: string; roles: string[] };

function NewUserForm({
  roleNames,
  onClose,
  onCreated,
  onPendingChange,
}: Omit<NewUserDialogProps, 'open'> & { onPendingChange: (pending: boolean) => void }) {
  const [roles, setRoles] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: (input: NewUserInput) => unwrapAction(createUserAction(input)),
    onMutate: () => onPendingChange(true),
    onSettled: () => onPendingChange(false),
    onSuccess: async () => {
      await onCreated();
      onClose();
    },
  });
  const error = create.error;

  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        create.mutate({
          username: String(form.get('username') ?? '').trim(),
          email: String(form.get('email') ?? '').trim(),
          password: String(form.get('password') ?? ''),
          roles,
        });
      }}
    >
      <TextField
        label="Username"
        name="username"
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        required
        hint="2–32 lowercase letters, digits, “.”, “_” or “-”."
        errors={fieldErrors(error, 'username')}
      />
      <TextField label="Email" name="email" type="email" autoComplete="off" required errors={fieldErrors(error, 'email')} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 10 characters. Share it with the user over a safe channel; they can sign in with it right away."
        errors={fieldErrors(error, 'password')}
      />
      <CheckboxList
        legend="Roles"
        hint={roleNames.length === 0 ? 'Loading roles…' : 'A user without roles can sign in but do nothing beyond anonymous access.'}
        options={roleNames.map((name) => ({ value: name, label: name }))}
        selected={roles}
        onChange={setRoles}
      />
      {error && <ErrorState title="Could not create this user" error={error} />}
      <DialogActions submitLabel="Create user" pending={create.isPending} onCancel={onClose} />
    </form>
  );
}
