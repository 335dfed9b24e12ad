'use client';

import { useState, type ReactNode } from 'react';
import { TextField } from '@/components/forms/text-field';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';

type ConfirmDialogProps = {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pending: boolean;
  error: Error | null;
  /** Heading of the error shown when the action fails. */
  errorTitle: string;
  /** For what cannot be undone: the button works only once this is typed exactly (a package name…). */
  phrase?: string;
  onConfirm: () => void;
  onClose: () => void;
};

/** "Are you sure?" before a destructive action; the action's error stays inside the dialog. */
export function ConfirmDialog({ open, title, children, confirmLabel, pending, error, errorTitle, phrase, onConfirm, onClose }: ConfirmDialogProps) {
  const [typed, setTyped] = useState('');
  const confirmed = phrase === undefined || typed === phrase;
  const close = () => {
    setTyped('');
    onClose();
  };
  return (
    <Dialog open={open} title={title} onClose={close} busy={pending}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (confirmed) onConfirm();
        }}
        className="space-y-4"
      >
        <div className="space-y-2 text-sm text-slate-700">{children}</div>
        {phrase !== undefined && (
          <TextField
            label={`Type ${phrase} to confirm`}
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            autoComplete="off"
            spellCheck={false}
            disabled={pending}
          />
        )}
        {error && <ErrorState title={errorTitle} error={error} />}
        <div className="flex justify-end gap-2">
          <Button onClick={close} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={!confirmed || pending} aria-busy={pending}>
            {confirmLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
