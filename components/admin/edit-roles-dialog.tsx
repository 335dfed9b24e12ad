'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { setUserRolesAction } from '@/app/(dashboard)/admin/users/actions';
import { CheckboxList } from '@/components/forms/checkbox-list';
import { DialogActions } from '@/components/forms/dialog-actions';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import type { UserRow } from '@/lib/queries/use-users';
import { unwrapAction } from '@/lib/ui/unwrap-action';

type EditRolesDialogProps = {
  /** The user being edited; null while closed. */
  user: UserRow | null;
  roleNames: string[];
  onClose: () => void;
  onSaved: () => Promise<unknown>;
};

export function EditRolesDialog({ user, roleNames, onClose, onSaved }: EditRolesDialogProps) {
  const [pending, setPending] = useState(false);
  return (
    <Dialog open={user !== null} title={`Edit roles of ${user?.username ?? ''}`} onClose={onClose} busy={pending}>
      {user && <EditRolesForm key={user.id} user={user} roleNames={roleNames} onClose={onClose} onSaved={onSaved} onPendingChange={setPending} />}
    </Dialog>
  );
}

function EditRolesForm({
  user,
  roleNames,
  onClose,
  onSaved,
  onPendingChange,
}: Omit<EditRolesDialogProps, 'user'> & { user: UserRow; onPendingChange: (pending: boolean) => void }) {
  const [roles, setRoles] = useState<string[]>(user.roles);
  const save = useMutation({
    mutationFn: (next: string[]) => unwrapAction(setUserRolesAction({ userId: user.id, roles: next })),
    onMutate: () => onPendingChange(true),
    onSettled: () => onPendingChange(false),
    onSuccess: async () => {
      await onSaved();
      onClose();
    },
  });

  // A role the list does not know (deleted meanwhile) still shows, so saving does not drop it silently.
  const names = [...roleNames, ...user.roles.filter((role) => !roleNames.includes(role))];

  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(roles);
      }}
    >
      <CheckboxList legend="Roles" options={names.map((name) => ({ value: name, label: name }))} selected={roles} onChange={setRoles} />
      {save.error && <ErrorState title="Could not save the roles" error={save.error} />}
      <DialogActions submitLabel="Save roles" pending={save.isPending} onCancel={onClose} />
    </form>
  );
}
