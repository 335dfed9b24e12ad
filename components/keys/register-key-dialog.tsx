'use client';

import { useMutation } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { keyChallengeAction, registerKeyAction } from '@/app/(dashboard)/keys/actions';
import { DialogActions } from '@/components/forms/dialog-actions';
import { TextField } from '@/components/forms/text-field';
import { Button } from '@/components/ui/button';
import { CommandSnippet } from '@/components/ui/command-snippet';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import { RelativeTime } from '@/components/ui/relative-time';
import type { KeyRow } from '@/lib/queries/use-keys';
import { fieldErrors, unwrapAction } from '@/lib/ui/unwrap-action';

type RegisterKeyDialogProps = {
  open: boolean;
  onClose: () => void;
  onRegistered: (key: KeyRow) => Promise<unknown>;
};

type RegisterKeyInput = { name: string; public_key: string; challenge: string; signature: string };

/**
 * "Register key": name, Ed25519 public key (base64 of the raw 32 bytes, or an SPKI PEM) and the
 * key's signature over a challenge the dialog fetches, proving the user holds the private key.
 */
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
  const challenge = useMutation({ mutationFn: () => unwrapAction(keyChallengeAction({})) });
  const register = useMutation({
    mutationFn: (input: RegisterKeyInput) => unwrapAction(registerKeyAction(input)),
    onMutate: () => onPendingChange(true),
    onSettled: () => onPendingChange(false),
    onSuccess: (key) => onRegistered(key),
  });
  const requestChallenge = challenge.mutate;
  // A fresh challenge each time the dialog opens (the form mounts with it).
  useEffect(() => requestChallenge(), [requestChallenge]);
  const text = challenge.data?.challenge;

  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        if (!text) return;
        const form = new FormData(event.currentTarget);
        register.mutate({
          name: String(form.get('name') ?? '').trim(),
          public_key: String(form.get('public_key') ?? '').trim(),
          challenge: text,
          signature: String(form.get('signature') ?? '').trim(),
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
      <PublicKeyField disabled={register.isPending} errors={fieldErrors(register.error, 'public_key')} />
      <section aria-label="Proof" className="space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3">
        <div>
          <h3 className="text-sm font-medium text-slate-900">Prove the key is yours</h3>
          <p className="text-xs text-slate-600">
            Sign this challenge with the key’s private half; the private key never leaves your machine. It works once and
            expires {challenge.data ? <RelativeTime ms={challenge.data.expires_at} /> : 'in 10 minutes'}.
          </p>
        </div>
        {challenge.isPending && <p className="text-sm text-slate-600">Getting a challenge…</p>}
        {challenge.error && <ErrorState title="Could not get a challenge" error={challenge.error} />}
        {text && <ChallengeCommands challenge={text} />}
        <Button size="sm" onClick={() => requestChallenge()} disabled={challenge.isPending || register.isPending}>
          New challenge
        </Button>
      </section>
      <TextField
        // A new challenge needs a new signature: the field starts empty again.
        key={text}
        label="Signature"
        name="signature"
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        required
        maxLength={200}
        hint="The base64 the command printed."
        disabled={register.isPending || !text}
        errors={fieldErrors(register.error, 'signature')}
      />
      {register.error && <ErrorState title="Could not register this key" error={register.error} />}
      <DialogActions submitLabel="Register key" pending={register.isPending} disabled={!text} onCancel={onCancel} />
    </form>
  );
}

function ChallengeCommands({ challenge }: { challenge: string }) {
  const quoted = `'${challenge}'`;
  return (
    <div className="space-y-3">
      <code aria-label="Challenge" className="block rounded border border-slate-200 bg-white px-2 py-1.5 font-mono text-xs break-all text-slate-900">
        {challenge}
      </code>
      <div className="space-y-1">
        <p className="text-xs font-medium text-slate-700">With the torsh CLI</p>
        <CommandSnippet command={`torsh keys prove --key signing-key.pem --challenge ${quoted}`} label="Copy command" />
      </div>
      <div className="space-y-1">
        <p className="text-xs font-medium text-slate-700">Or with OpenSSL 3</p>
        <CommandSnippet
          command={`printf %s ${quoted} > challenge.txt\nopenssl pkeyutl -sign -inkey signing-key.pem -rawin -in challenge.txt | base64 -w0`}
          label="Copy commands"
        />
      </div>
    </div>
  );
}

function PublicKeyField({ disabled, errors }: { disabled: boolean; errors: string[] | undefined }) {
  const keyId = useId();
  const hintId = `${keyId}-hint`;
  const errorId = `${keyId}-error`;
  const invalid = !!errors && errors.length > 0;
  return (
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
        rows={3}
        required
        maxLength={2000}
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        disabled={disabled}
        aria-describedby={invalid ? `${hintId} ${errorId}` : hintId}
        aria-invalid={invalid || undefined}
        className="mt-1.5 w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-xs shadow-sm placeholder:text-slate-400 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none disabled:bg-slate-50 aria-[invalid=true]:border-red-400"
      />
      {invalid && (
        <p id={errorId} className="mt-1 text-xs text-red-700">
          {errors.join(' ')}
        </p>
      )}
    </div>
  );
}
