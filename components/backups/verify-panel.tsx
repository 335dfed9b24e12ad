'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { startVerifyAction } from '@/app/(dashboard)/backups/actions';
import { Button } from '@/components/ui/button';
import { ErrorState } from '@/components/ui/error-state';
import { unwrapAction } from '@/lib/ui/unwrap-action';
import { isVerifyReport, VerifyReportView } from './verify-report';
import { WatchedJob, type StartedJob } from './watched-job';

/** Verify the repository (structure, or read all data) as a job: its progress, then its report. */
export function VerifyPanel({ repositoryId }: { repositoryId: string }) {
  const [job, setJob] = useState<StartedJob | null>(null);
  const start = useMutation({
    mutationFn: (readData: boolean) => unwrapAction(startVerifyAction({ id: repositoryId, read_data: readData })),
    onSuccess: (data, readData) => setJob({ id: data.job.id, kind: data.job.kind, label: readData ? 'Full verify' : 'Structure verify' }),
  });
  return (
    <section aria-labelledby="verify-heading" className="space-y-3">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h3 id="verify-heading" className="text-base font-semibold text-slate-900">
            Verify
          </h3>
          <p className="max-w-2xl text-sm text-slate-600">
            Structure: every chunk a snapshot references is present and indexed (quick). All data: every chunk is read, decrypted and re-hashed (reads the whole repository).
          </p>
        </div>
        <div className="flex gap-2">
          <Button onClick={() => start.mutate(false)} disabled={start.isPending}>
            Verify structure
          </Button>
          <Button onClick={() => start.mutate(true)} disabled={start.isPending}>
            Verify all data
          </Button>
        </div>
      </div>
      {start.error && <ErrorState title="Could not start the verify" error={start.error} />}
      {job && (
        <WatchedJob key={job.id} job={job}>
          {(done) =>
            isVerifyReport(done.result) ? (
              <VerifyReportView report={done.result} />
            ) : (
              <p className="text-sm text-slate-600">The verify finished; its report is in the job’s result (the server did not return it here).</p>
            )
          }
        </WatchedJob>
      )}
    </section>
  );
}
