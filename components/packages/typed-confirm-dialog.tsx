'use client';

import { useState, type ReactNode } from 'react';
import { TextField } from '@/components/forms/text-field';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';

type TypedConfirmDialogProps = {
  open: boolean;
  title: string;
  children: ReactNode;
  /** What the user must type to confirm (a package name, or name@version). */
  phrase: string;
  confirmLabel: string;
  pending: boolean;
  error: Error | null;
  errorTitle: string;
  onConfirm: () => void;
  onClose: () => void;
};

/** Confirmation for what cannot be undone: the button works only once the phrase is typed exactly. */
export function TypedConfirmDialog({ open, title, children, phrase, confirmLabel, pending, error, errorTitle, onConfirm, onClose }: TypedConfirmDialogProps) {
  const [typed, setTyped] = useState('');
  const close = () => {
    setTyped('');
    onClose();
  };
  const matches = typed === phrase;
  return (
    <Dialog open={open} title={title} onClose={close} busy={pending}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (matches) onConfirm();
        }}
        className="space-y-4"
      >
        <div className="space-y-2 text-sm text-slate-700">{children}</div>
        <TextField
          label={`Type ${phrase} to confirm`}
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          autoComplete="off"
          spellCheck={false}
          disabled={pending}
        />
        {error && <ErrorState title={errorTitle} error={error} />}
        <div className="flex justify-end gap-2">
          <Button onClick={close} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={!matches || pending} aria-busy={pending}>
            {confirmLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
