'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { deletePackageAction, deleteVersionAction } from '@/app/(dashboard)/packages/[name]/actions';
import { Button } from '@/components/ui/button';
import { packageKey } from '@/lib/queries/use-package';
import { searchKey } from '@/lib/queries/use-search-packages';
import { statsKey } from '@/lib/queries/use-stats';
import { unwrapAction } from '@/lib/ui/unwrap-action';
import { TypedConfirmDialog } from './typed-confirm-dialog';

function useInvalidateRegistry() {
  const queryClient = useQueryClient();
  return (name: string) =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: packageKey(name) }),
      queryClient.invalidateQueries({ queryKey: searchKey }),
      queryClient.invalidateQueries({ queryKey: statsKey }),
    ]);
}

const NEVER_AGAIN = 'Deleting cannot be undone.';

/** "Delete version", behind a typed confirmation (shown to holders of Delete; the server decides). */
export function DeleteVersionButton({ name, version }: { name: string; version: string }) {
  const [open, setOpen] = useState(false);
  const router = useRouter();
  const invalidate = useInvalidateRegistry();
  const remove = useMutation({
    mutationFn: () => unwrapAction(deleteVersionAction({ name, version })),
    onSuccess: async () => {
      setOpen(false);
      router.replace(`/packages/${encodeURIComponent(name)}`, { scroll: false });
      await invalidate(name);
    },
  });
  const phrase = `${name}@${version}`;
  return (
    <>
      <Button variant="danger-outline" onClick={() => {
          remove.reset();
          setOpen(true);
        }}>
        Delete version
      </Button>
      <TypedConfirmDialog
        open={open}
        title={`Delete ${phrase}?`}
        phrase={phrase}
        confirmLabel="Delete version"
        pending={remove.isPending}
        error={remove.error}
        errorTitle="Could not delete this version"
        onConfirm={() => remove.mutate()}
        onClose={() => setOpen(false)}
      >
        <p>
          {NEVER_AGAIN} <code className="font-mono">{phrase}</code> disappears: downloads and lockfiles naming it will fail, and
          channels pointing at it are removed.
        </p>
        <p className="font-medium text-slate-900">
          Version {version} can never be published again under this name, with any bytes. To hide a version from new installs
          while keeping it downloadable, yank it instead.
        </p>
      </TypedConfirmDialog>
    </>
  );
}

/** "Delete package": every version, behind a typed confirmation of the package name. */
export function DeletePackageButton({ name, versions }: { name: string; versions: number }) {
  const [open, setOpen] = useState(false);
  const router = useRouter();
  const invalidate = useInvalidateRegistry();
  const remove = useMutation({
    mutationFn: () => unwrapAction(deletePackageAction({ name })),
    onSuccess: async () => {
      setOpen(false);
      router.push('/packages');
      await invalidate(name);
    },
  });
  return (
    <>
      <Button variant="danger-outline" onClick={() => {
          remove.reset();
          setOpen(true);
        }}>
        Delete package
      </Button>
      <TypedConfirmDialog
        open={open}
        title={`Delete ${name}?`}
        phrase={name}
        confirmLabel="Delete package"
        pending={remove.isPending}
        error={remove.error}
        errorTitle="Could not delete this package"
        onConfirm={() => remove.mutate()}
        onClose={() => setOpen(false)}
      >
        <p>
          {NEVER_AGAIN} All {versions} {versions === 1 ? 'version' : 'versions'} of <code className="font-mono">{name}</code>{' '}
          disappear, with its owners, grants, channels, README and settings.
        </p>
        <p className="font-medium text-slate-900">
          None of these versions can ever be published again under this name, with any bytes.
        </p>
      </TypedConfirmDialog>
    </>
  );
}
