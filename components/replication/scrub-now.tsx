'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { startScrubAction } from '@/app/(dashboard)/replication/actions';
import { Button } from '@/components/ui/button';
import { ErrorState } from '@/components/ui/error-state';
import { ProgressBar } from '@/components/ui/progress-bar';
import { RelativeTime } from '@/components/ui/relative-time';
import { replicationKey, useScrubStatus, type ScrubReport } from '@/lib/queries/use-replication';
import { formatCount } from '@/lib/ui/format-count';
import { unwrapAction } from '@/lib/ui/unwrap-action';

/** A report in one line: what the scrub found and repaired over every node (and the primary store). */
export function scrubSummary(report: ScrubReport): string {
  const sum = (k: 'checked' | 'missing' | 'mismatched' | 'extra' | 'conflicts' | 'repaired') => report.nodes.reduce((n, node) => n + node[k], 0);
  const errors = report.primary.errors.length + report.nodes.reduce((n, node) => n + node.errors.length, 0);
  const parts = [
    `${formatCount(sum('checked'))} checked on ${report.nodes.length} ${report.nodes.length === 1 ? 'node' : 'nodes'}`,
    `${formatCount(sum('missing') + report.primary.missing)} missing`,
    `${formatCount(sum('mismatched'))} damaged`,
    `${formatCount(sum('extra'))} extra`,
    `${formatCount(sum('conflicts'))} ${sum('conflicts') === 1 ? 'conflict' : 'conflicts'}`,
    `${formatCount(sum('repaired') + report.primary.repaired)} repaired`,
  ];
  if (errors > 0) parts.push(`${formatCount(errors)} ${errors === 1 ? 'error' : 'errors'}`);
  return parts.join(' · ');
}

/** "Scrub now": enqueues the anti-entropy scrub (or joins the one queued or running), shows its progress, then its report. */
export function ScrubNow() {
  const queryClient = useQueryClient();
  const status = useScrubStatus();
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const start = useMutation({
    mutationFn: () => unwrapAction(startScrubAction({})),
    onSuccess: () => {
      setStartedAt(Date.now());
      return queryClient.invalidateQueries({ queryKey: [...replicationKey, 'scrub'] });
    },
  });
  const active = status.data?.active ?? null;
  const last = status.data?.last ?? null;
  // When a scrub ends, the conflicts and node figures it changed show at once, not at the next poll.
  const wasActive = useRef(false);
  useEffect(() => {
    if (wasActive.current && !active) void queryClient.invalidateQueries({ queryKey: replicationKey });
    wasActive.current = active !== null;
  }, [active, queryClient]);
  const started = start.data?.job_id ?? null;
  // The job exists once the action answers: a status read after that without an active scrub means it ended.
  const finishedOurs = started !== null && startedAt !== null && active === null && status.dataUpdatedAt > startedAt;
  const p = active?.progress ?? null;
  return (
    <div className="flex max-w-md flex-col items-end gap-1 text-right">
      <Button onClick={() => start.mutate()} disabled={start.isPending || active !== null} aria-busy={start.isPending}>
        {active ? 'Scrubbing…' : 'Scrub now'}
      </Button>
      <div role="status" className="text-xs text-slate-600" data-scrub>
        {active ? (
          <div className="min-w-56 space-y-1" data-scrub-job={active.job_id}>
            <p>
              Scrub job #{active.job_id} {active.state}
              {p ? ` · ${formatCount(p.done)}${p.total ? ` of ${formatCount(p.total)}` : ''}${p.message ? ` · ${p.message}` : ''}` : ''}
            </p>
            {p?.total ? <ProgressBar value={(p.done / p.total) * 100} label={`Progress of scrub job #${active.job_id}`} /> : null}
          </div>
        ) : started !== null && !finishedOurs ? (
          <p data-scrub-job={started}>Scrub job #{started} queued</p>
        ) : last ? (
          <p data-scrub-finished={last.finished_at}>
            {finishedOurs ? `Scrub job #${started} finished` : 'Last scrub finished'} <RelativeTime ms={last.finished_at} />: {scrubSummary(last)}
          </p>
        ) : started !== null ? (
          <p data-scrub-job={started}>Scrub job #{started} ended without a report: see its error in the replication jobs below.</p>
        ) : (
          <p>No scrub has run yet; it also runs on its schedule.</p>
        )}
      </div>
      {start.error && <ErrorState title="Could not start the scrub" error={start.error} />}
    </div>
  );
}
