'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { createRoleAction } from '@/app/(dashboard)/admin/roles/actions';
import { CheckboxList } from '@/components/forms/checkbox-list';
import { DialogActions } from '@/components/forms/dialog-actions';
import { TextField } from '@/components/forms/text-field';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import type { Permission } from '@/lib/engine/access/permissions';
import { fieldErrors, unwrapAction } from '@/lib/ui/unwrap-action';
import { describePermission } from './permission-info';

type NewRoleDialogProps = {
  open: boolean;
  permissions: Permission[];
  onClose: () => void;
  onCreated: () => Promise<unknown>;
};

export function NewRoleDialog({ open, permissions, onClose, onCreated }: NewRoleDialogProps) {
  const [pending, setPending] = useState(false);
  return (
    <Dialog open={open} title="New role" onClose={onClose} busy={pending}>
      <NewRoleForm permissions={permissions} onClose={onClose} onCreated={onCreated} onPendingChange={setPending} />
    </Dialog>
  );
}

type NewRoleInput = { name: string; description?: string; permissions: string[] };

function NewRoleForm({
  permissions,
  onClose,
  onCreated,
  onPendingChange,
}: Omit<NewRoleDialogProps, 'open'> & { onPendingChange: (pending: boolean) => void }) {
  const [selected, setSelected] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: (input: NewRoleInput) => unwrapAction(createRoleAction(input)),
    onMutate: () => onPendingChange(true),
    onSettled: () => onPendingChange(false),
    onSuccess: async () => {
      await onCreated();
      onClose();
    },
  });

  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const description = String(form.get('description') ?? '').trim();
        create.mutate({ name: String(form.get('name') ?? '').trim(), description: description || undefined, permissions: selected });
      }}
    >
      <TextField
        label="Name"
        name="name"
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        required
        hint="2–32 lowercase letters, digits, “_” or “-”, starting with a letter, e.g. ml-ops."
        errors={fieldErrors(create.error, 'name')}
      />
      <TextField label="Description" name="description" autoComplete="off" errors={fieldErrors(create.error, 'description')} />
      <div className="max-h-72 overflow-y-auto rounded-md border border-slate-200 p-3">
        <CheckboxList
          legend="Permissions"
          options={permissions.map((permission) => ({ value: permission, label: permission, description: describePermission(permission) }))}
          selected={selected}
          onChange={setSelected}
          bulk
        />
      </div>
      {create.error && <ErrorState title="Could not create this role" error={create.error} />}
      <DialogActions submitLabel="Create role" pending={create.isPending} onCancel={onClose} />
    </form>
  );
}
