'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { resetPasswordAction } from '@/app/(dashboard)/admin/users/actions';
import { DialogActions } from '@/components/forms/dialog-actions';
import { TextField } from '@/components/forms/text-field';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import type { UserRow } from '@/lib/queries/use-users';
import { fieldErrors, unwrapAction } from '@/lib/ui/unwrap-action';

type ResetPasswordDialogProps = { user: UserRow | null; onClose: () => void };

export function ResetPasswordDialog({ user, onClose }: ResetPasswordDialogProps) {
  const [pending, setPending] = useState(false);
  return (
    <Dialog open={user !== null} title={`Reset the password of ${user?.username ?? ''}`} onClose={onClose} busy={pending}>
      {user && <ResetPasswordForm key={user.id} user={user} onClose={onClose} onPendingChange={setPending} />}
    </Dialog>
  );
}

function ResetPasswordForm({ user, onClose, onPendingChange }: { user: UserRow; onClose: () => void; onPendingChange: (pending: boolean) => void }) {
  const reset = useMutation({
    mutationFn: (password: string) => unwrapAction(resetPasswordAction({ userId: user.id, password })),
    onMutate: () => onPendingChange(true),
    onSettled: () => onPendingChange(false),
  });

  if (reset.isSuccess) {
    return (
      <div className="space-y-4">
        <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          The password of {user.username} was changed: their sessions have ended and their API tokens are revoked. Give them the
          new password over a safe channel; they create new tokens after signing in.
        </p>
        <div className="flex justify-end">
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        </div>
      </div>
    );
  }

  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        reset.mutate(String(new FormData(event.currentTarget).get('password') ?? ''));
      }}
    >
      <TextField
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        autoFocus
        hint="At least 10 characters. This signs them out of every session and revokes all their API tokens (CI jobs using them stop working)."
        errors={fieldErrors(reset.error, 'password')}
      />
      {reset.error && <ErrorState title="Could not reset the password" error={reset.error} />}
      <DialogActions submitLabel="Reset password" pending={reset.isPending} onCancel={onClose} />
    </form>
  );
}
