'use client';

import { useId } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';

type YankDialogProps = {
  open: boolean;
  name: string;
  version: string;
  pending: boolean;
  error: Error | null;
  onConfirm: (reason: string) => void;
  onClose: () => void;
};

export function YankDialog({ open, name, version, pending, error, onConfirm, onClose }: YankDialogProps) {
  const reasonId = useId();
  const hintId = useId();
  return (
    <Dialog open={open} title={`Yank ${name}@${version}?`} onClose={onClose} busy={pending}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onConfirm(String(new FormData(event.currentTarget).get('reason') ?? '').trim());
        }}
        className="space-y-4"
      >
        <p className="text-sm text-slate-700">
          Yanked versions stay downloadable for existing lockfiles, so builds pinned to{' '}
          <code className="font-mono">{name}@{version}</code> keep working, but they are not picked as latest or for
          new installs. You can unyank it later.
        </p>
        <div>
          <label htmlFor={reasonId} className="block text-sm font-medium text-slate-900">
            Reason
          </label>
          <p id={hintId} className="text-xs text-slate-600">
            Optional. Shown next to the version, e.g. “weights trained on a corrupted dataset”.
          </p>
          <textarea
            id={reasonId}
            name="reason"
            rows={3}
            maxLength={500}
            aria-describedby={hintId}
            disabled={pending}
            className="mt-1.5 w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none"
          />
        </div>
        {error && <ErrorState title="Could not yank this version" error={error} />}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={pending} aria-busy={pending}>
            Yank version
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
