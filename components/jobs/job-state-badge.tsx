import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { JobState } from '@/lib/queries/use-jobs';

const TONE: Record<JobState, BadgeTone> = {
  queued: 'neutral',
  running: 'info',
  succeeded: 'success',
  failed: 'warning',
  dead: 'danger',
  cancelled: 'neutral',
};

export const JOB_STATE_ORDER: JobState[] = ['queued', 'running', 'failed', 'dead', 'succeeded', 'cancelled'];

/** What each state means, for titles and the filter. */
export const JOB_STATE_HELP: Record<JobState, string> = {
  queued: 'waiting for a worker',
  running: 'held by a worker under a lease',
  failed: 'an attempt failed; retried after a backoff',
  dead: 'out of attempts; kept with its last error',
  succeeded: 'finished',
  cancelled: 'cancelled by an admin',
};

export function JobStateBadge({ state }: { state: JobState }) {
  return <Badge tone={TONE[state]}>{state}</Badge>;
}
