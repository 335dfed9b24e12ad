'use client';

import type { ReactNode } from 'react';
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
  onConfirm: () => void;
  onClose: () => void;
};

/** "Are you sure?" before a destructive action; the action's error stays inside the dialog. */
export function ConfirmDialog({ open, title, children, confirmLabel, pending, error, errorTitle, onConfirm, onClose }: ConfirmDialogProps) {
  return (
    <Dialog open={open} title={title} onClose={onClose} busy={pending}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onConfirm();
        }}
        className="space-y-4"
      >
        <div className="text-sm text-slate-700">{children}</div>
        {error && <ErrorState title={errorTitle} error={error} />}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={pending} aria-busy={pending}>
            {confirmLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
