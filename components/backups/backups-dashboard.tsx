'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { removeBackupRepositoryAction } from '@/app/(dashboard)/backups/actions';
import { QueryErrorState } from '@/components/auth/query-error-state';
import { ConfirmDialog } from '@/components/forms/confirm-dialog';
import { TableSkeleton } from '@/components/tables/table-skeleton';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { backupsKey, useBackupRepositories, type RepositoryView } from '@/lib/queries/use-backups';
import { formatBytes } from '@/lib/ui/format-bytes';
import { unwrapAction } from '@/lib/ui/unwrap-action';
import { AddRepositoryDialog } from './add-repository-dialog';
import { BackupJobs } from './backup-jobs';
import { RepositoriesTable } from './repositories-table';
import { RepositoryDetail } from './repository-detail';

/** The Backups page: repositories (add / remove), then the one opened: snapshots, verify, restore, retention, charts; backup jobs. */
export function BackupsDashboard() {
  const repositories = useBackupRepositories();
  const queryClient = useQueryClient();
  const invalidate = () => queryClient.invalidateQueries({ queryKey: backupsKey });
  const [adding, setAdding] = useState(false);
  const [chosen, setChosen] = useState<string | null>(null);
  const [removing, setRemoving] = useState<RepositoryView | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => unwrapAction(removeBackupRepositoryAction({ id })),
    onSuccess: async () => {
      await invalidate();
      setRemoving(null);
    },
  });

  if (repositories.isPending) return <TableSkeleton label="Loading backup repositories…" columns={8} />;
  if (!repositories.data) return <QueryErrorState error={repositories.error} title="Could not load backup repositories" forbidden="You need ManageBackups to manage backups" />;
  const list = repositories.data.repositories;
  const selected = list.find((r) => r.id === chosen) ?? list[0] ?? null;
  const failing = list.filter((r) => r.last_error !== null && (r.last_success_at === null || (r.last_run_at ?? 0) > r.last_success_at)).length;
  const stored = list.reduce((n, r) => n + r.stored_bytes, 0);

  return (
    <div className="space-y-8">
      <section aria-labelledby="repositories-heading" className="space-y-3">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h2 id="repositories-heading" className="text-lg font-semibold text-slate-900">
              Repositories
            </h2>
            <p className="text-sm text-slate-600" aria-live="polite">
              {list.length === 0
                ? 'None configured.'
                : `${list.length} ${list.length === 1 ? 'repository' : 'repositories'} · ${formatBytes(stored)} stored${failing > 0 ? ` · ${failing} failing` : ''}`}
            </p>
          </div>
          <Button variant="primary" onClick={() => setAdding(true)}>
            Add repository
          </Button>
        </div>
        {list.length === 0 ? (
          <EmptyState
            title="No backup repositories yet"
            action={
              <Button variant="primary" onClick={() => setAdding(true)}>
                Add repository
              </Button>
            }
          >
            A repository is a folder, an S3 bucket or an Azure container holding deduplicated, encrypted snapshots of the whole registry (database, blobs, keys, settings). Add one, then
            back up: its snapshots, sizes and deduplication ratio appear here.
          </EmptyState>
        ) : (
          <RepositoriesTable repositories={list} selected={selected?.id ?? null} onSelect={setChosen} onRemove={setRemoving} />
        )}
      </section>

      {selected && <RepositoryDetail key={selected.id} repository={selected} onChanged={invalidate} />}

      <BackupJobs />

      <AddRepositoryDialog open={adding} onClose={() => setAdding(false)} onSaved={invalidate} />
      <ConfirmDialog
        open={removing !== null}
        title={`Remove repository ${removing?.id ?? ''}?`}
        confirmLabel="Remove repository"
        pending={remove.isPending}
        error={remove.error}
        errorTitle="Could not remove the repository"
        onConfirm={() => removing && remove.mutate(removing.id)}
        onClose={() => {
          remove.reset();
          setRemoving(null);
        }}
      >
        <p>The registry stops backing up to it and forgets its schedule and retention. Its snapshots stay where they are: attach it again, or use <code>torsh backup</code>, to restore from them.</p>
      </ConfirmDialog>
    </div>
  );
}
