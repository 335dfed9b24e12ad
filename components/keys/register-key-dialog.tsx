'use client';

import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { registerKeyAction } from '@/app/(dashboard)/keys/actions';
import { DialogActions } from '@/components/forms/dialog-actions';
import { TextField } from '@/components/forms/text-field';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import type { KeyRow } from '@/lib/queries/use-keys';
import { fieldErrors, unwrapAction } from '@/lib/ui/unwrap-action';

type RegisterKeyDialogProps = {
  open: boolean;
  onClose: () => void;
  onRegistered: (key: KeyRow) => Promise<unknown>;
};

type RegisterKeyInput = { name: string; public_key: string };

/** "Register key": name + Ed25519 public key (base64 of the raw 32 bytes, or an SPKI PEM). */
export function RegisterKeyDialog({ open, onClose, onRegistered }: RegisterKeyDialogProps) {
  const [pending, setPending] = useState(false);
  return (
    <Dialog open={open} title="Register key" onClose={onClose} busy={pending}>
      <RegisterKeyForm onCancel={onClose} onPendingChange={setPending} onRegistered={onRegistered} />
    </Dialog>
  );
}

type RegisterKeyFormProps = {
  onCancel: () => void;
  onPendingChange: (pending: boolean) => void;
  onRegistered: (key: KeyRow) => Promise<unknown>;
};

function RegisterKeyForm({ onCancel, onPendingChange, onRegistered }: RegisterKeyFormProps) {
  const keyId = useId();
  const hintId = `${keyId}-hint`;
  const errorId = `${keyId}-error`;
  const register = useMutation({
    mutationFn: (input: RegisterKeyInput) => unwrapAction(registerKeyAction(input)),
    onMutate: () => onPendingChange(true),
    onSettled: () => onPendingChange(false),
    onSuccess: (key) => onRegistered(key),
  });
  const keyErrors = fieldErrors(register.error, 'public_key');
  const keyInvalid = !!keyErrors && keyErrors.length > 0;

  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        register.mutate({
          name: String(form.get('name') ?? '').trim(),
          public_key: String(form.get('public_key') ?? '').trim(),
        });
      }}
    >
      <TextField
        label="Name"
        name="name"
        autoComplete="off"
        required
        maxLength={100}
        placeholder="e.g. laptop or ci"
        hint="Where the private key lives, so you recognise it later."
        disabled={register.isPending}
        errors={fieldErrors(register.error, 'name')}
      />
      <div>
        <label htmlFor={keyId} className="block text-sm font-medium text-slate-900">
          Public key
        </label>
        <p id={hintId} className="text-xs text-slate-600">
          An Ed25519 public key: the base64 of its 32 raw bytes (the <code className="font-mono">.pub</code> file{' '}
          <code className="font-mono">torsh keygen</code> writes), or an SPKI PEM (<code className="font-mono">-----BEGIN PUBLIC KEY-----</code>). Never paste the private
          key.
        </p>
        <textarea
          id={keyId}
          name="public_key"
          rows={4}
          required
          maxLength={2000}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          disabled={register.isPending}
          aria-describedby={keyInvalid ? `${hintId} ${errorId}` : hintId}
          aria-invalid={keyInvalid || undefined}
          className="mt-1.5 w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-xs shadow-sm placeholder:text-slate-400 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none disabled:bg-slate-50 aria-[invalid=true]:border-red-400"
        />
        {keyInvalid && (
          <p id={errorId} className="mt-1 text-xs text-red-700">
            {keyErrors.join(' ')}
          </p>
        )}
      </div>
      {register.error && <ErrorState title="Could not register this key" error={register.error} />}
      <DialogActions submitLabel="Register key" pending={register.isPending} onCancel={onCancel} />
    </form>
  );
}
