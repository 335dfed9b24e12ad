'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { deletePackageAction, deleteVersionAction } from '@/app/(dashboard)/packages/[name]/actions';
import { ConfirmDialog } from '@/components/forms/confirm-dialog';
import { Button } from '@/components/ui/button';
import type { ActionResult } from '@/lib/server/action';
import { packageKey } from '@/lib/queries/use-package';
import { searchKey } from '@/lib/queries/use-search-packages';
import { statsKey } from '@/lib/queries/use-stats';
import { unwrapAction } from '@/lib/ui/unwrap-action';

type DeleteButtonProps = {
  name: string;
  /** What must be typed to confirm: the package name, or name@version. */
  phrase: string;
  label: string;
  run: () => Promise<ActionResult<unknown>>;
  /** Where to go afterwards (the deleted thing's page no longer exists as it was). */
  then: string;
  children: ReactNode;
};

/** A delete behind a typed confirmation (shown to holders of Delete; the server decides). */
function DeleteButton({ name, phrase, label, run, then, children }: DeleteButtonProps) {
  const [open, setOpen] = useState(false);
  const router = useRouter();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => unwrapAction(run()),
    onSuccess: async () => {
      setOpen(false);
      router.replace(then, { scroll: false });
      await Promise.all([packageKey(name), searchKey, statsKey].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
    },
  });
  return (
    <>
      <Button
        variant="danger-outline"
        onClick={() => {
          remove.reset();
          setOpen(true);
        }}
      >
        {label}
      </Button>
      <ConfirmDialog
        open={open}
        title={`Delete ${phrase}?`}
        phrase={phrase}
        confirmLabel={label}
        pending={remove.isPending}
        error={remove.error}
        errorTitle={`Could not delete ${phrase}`}
        onConfirm={() => remove.mutate()}
        onClose={() => setOpen(false)}
      >
        <p>Deleting cannot be undone.</p>
        {children}
      </ConfirmDialog>
    </>
  );
}

export function DeleteVersionButton({ name, version }: { name: string; version: string }) {
  const phrase = `${name}@${version}`;
  return (
    <DeleteButton name={name} phrase={phrase} label="Delete version" run={() => deleteVersionAction({ name, version })} then={`/packages/${encodeURIComponent(name)}`}>
      <p>
        <code className="font-mono">{phrase}</code> disappears: downloads and lockfiles naming it will fail, and channels pointing at it
        are removed.
      </p>
      <p className="font-medium text-slate-900">
        Version {version} can never be published again under this name, with any bytes. To hide a version from new installs while
        keeping it downloadable, yank it instead.
      </p>
    </DeleteButton>
  );
}

export function DeletePackageButton({ name, versions }: { name: string; versions: number }) {
  return (
    <DeleteButton name={name} phrase={name} label="Delete package" run={() => deletePackageAction({ name })} then="/packages">
      <p>
        All {versions} {versions === 1 ? 'version' : 'versions'} of <code className="font-mono">{name}</code> disappear, with its
        owners, grants, channels, README and settings.
      </p>
      <p className="font-medium text-slate-900">None of these versions can ever be published again under this name, with any bytes.</p>
    </DeleteButton>
  );
}
