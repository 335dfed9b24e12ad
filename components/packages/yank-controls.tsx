'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { unyankVersionAction, yankVersionAction } from '@/app/(dashboard)/packages/[name]/actions';
import { YankDialog } from '@/components/forms/yank-dialog';
import { Button } from '@/components/ui/button';
import { ErrorState } from '@/components/ui/error-state';
import { searchKey } from '@/lib/queries/use-search-packages';
import { useMe } from '@/lib/queries/use-me';
import { packageKey } from '@/lib/queries/use-package';
import { statsKey } from '@/lib/queries/use-stats';
import { unwrapAction } from '@/lib/ui/unwrap-action';

type YankControlsProps = { name: string; version: string; yanked: boolean };

/** "Yank" (with a confirmation dialog) or "Unyank" for one version; hidden from anonymous visitors. */
export function YankControls({ name, version, yanked }: YankControlsProps) {
  const { data: me } = useMe();
  const queryClient = useQueryClient();
  const [dialogOpen, setDialogOpen] = useState(false);

  // Yanking changes the package's latest version, so search results and stats are stale too.
  const invalidate = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: packageKey(name) }),
      queryClient.invalidateQueries({ queryKey: searchKey }),
      queryClient.invalidateQueries({ queryKey: statsKey }),
    ]);

  const yank = useMutation({
    mutationFn: (reason: string) => unwrapAction(yankVersionAction({ name, version, reason: reason || undefined })),
    onSuccess: async () => {
      await invalidate();
      setDialogOpen(false);
    },
  });
  const unyank = useMutation({
    mutationFn: () => unwrapAction(unyankVersionAction({ name, version })),
    onSuccess: invalidate,
  });

  // The server refuses anonymous callers anyway; do not offer what cannot work.
  if (!me?.user) return null;

  if (yanked) {
    return (
      <div className="flex flex-col items-end gap-2">
        <Button onClick={() => unyank.mutate()} disabled={unyank.isPending} aria-busy={unyank.isPending}>
          Unyank
        </Button>
        {unyank.error && <ErrorState title="Could not unyank this version" error={unyank.error} />}
      </div>
    );
  }

  return (
    <>
      <Button
        variant="danger-outline"
        onClick={() => {
          yank.reset();
          setDialogOpen(true);
        }}
      >
        Yank
      </Button>
      <YankDialog
        open={dialogOpen}
        name={name}
        version={version}
        pending={yank.isPending}
        error={yank.error}
        onConfirm={(reason) => yank.mutate(reason)}
        onClose={() => setDialogOpen(false)}
      />
    </>
  );
}
