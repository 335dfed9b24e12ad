'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Pagination } from '@/components/ui/pagination';
import { useBackupSnapshots, type RepositoryView, type SnapshotView } from '@/lib/queries/use-backups';
import type { JobView } from '@/lib/queries/use-jobs';
import { BackupCharts } from './backup-charts';
import { retentionSummary } from './backup-format';
import { BackupNowDialog } from './backup-now-dialog';
import { RecoveryPoints } from './recovery-points';
import { RestoreDialog } from './restore-dialog';
import { RetentionEditor } from './retention-editor';
import { SnapshotsTable } from './snapshots-table';
import { VerifyPanel } from './verify-panel';
import { WatchedJob, type StartedJob } from './watched-job';

const PER_PAGE = 20;

type Props = { repository: RepositoryView; onChanged: () => Promise<unknown> };

/** One repository: its snapshots and recovery points, back up / verify / restore, retention, charts. */
export function RepositoryDetail({ repository, onChanged }: Props) {
  const [page, setPage] = useState(1);
  const snapshots = useBackupSnapshots(repository.id, { page, perPage: PER_PAGE });
  const [backingUp, setBackingUp] = useState(false);
  const [restoring, setRestoring] = useState<SnapshotView | null>(null);
  const [jobs, setJobs] = useState<StartedJob[]>([]);
  const started = (label: string) => (job: JobView) => setJobs((list) => [{ id: job.id, kind: job.kind, label }, ...list].slice(0, 3));
  const list = snapshots.data;
  return (
    <section aria-labelledby="repository-heading" className="space-y-6 rounded-lg border border-slate-200 bg-slate-50/50 p-4" data-repository={repository.id}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id="repository-heading" className="text-lg font-semibold text-slate-900">
            Repository <span className="font-mono">{repository.id}</span>
          </h2>
          <p className="text-sm text-slate-600">
            Retention: {retentionSummary(repository.retention)} · schedule: {repository.schedule_cron ? <code className="font-mono text-xs">{repository.schedule_cron}</code> : 'on demand only'}
          </p>
        </div>
        <Button variant="primary" onClick={() => setBackingUp(true)}>
          Back up now
        </Button>
      </div>

      {jobs.length > 0 && (
        <div className="space-y-2">
          {jobs.map((j) => (
            <WatchedJob key={j.id} job={j} />
          ))}
        </div>
      )}

      <section aria-labelledby="snapshots-heading" className="space-y-2">
        <div>
          <h3 id="snapshots-heading" className="text-base font-semibold text-slate-900">
            Snapshots
          </h3>
          <p className="text-sm text-slate-600">
            New bytes stored is what a snapshot added to the repository after deduplication, compression and encryption; the ratio is its logical size over that.
          </p>
        </div>
        {snapshots.error && !list ? (
          <ErrorState title="Could not load the snapshots" error={snapshots.error} />
        ) : !list ? (
          <p className="text-sm text-slate-600">Loading snapshots…</p>
        ) : list.total === 0 ? (
          <EmptyState
            title="No snapshots yet"
            action={
              <Button variant="primary" onClick={() => setBackingUp(true)}>
                Back up now
              </Button>
            }
          >
            Back up now takes the first snapshot (every chunk is new, so it is the largest); later ones store only what changed. A schedule in the retention section below takes them
            automatically.
          </EmptyState>
        ) : (
          <>
            <SnapshotsTable snapshots={list.snapshots} onRestore={setRestoring} />
            <Pagination page={page} perPage={PER_PAGE} total={list.total} shown={list.snapshots.length} onPageChange={setPage} />
          </>
        )}
      </section>

      <RecoveryPoints repositoryId={repository.id} onRestore={setRestoring} />

      <VerifyPanel repositoryId={repository.id} />

      <RetentionEditor key={repository.id} repository={repository} onSaved={onChanged} />

      <BackupCharts repositoryId={repository.id} />

      <BackupNowDialog repositoryId={repository.id} open={backingUp} onClose={() => setBackingUp(false)} onStarted={started('Backup')} />
      <RestoreDialog repositoryId={repository.id} snapshot={restoring} onClose={() => setRestoring(null)} onStarted={started('Restore')} />
    </section>
  );
}
