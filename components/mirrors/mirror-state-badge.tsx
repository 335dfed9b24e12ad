import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { Mirror } from '@/lib/queries/use-mirrors';

const TONE: Record<Mirror['state'], BadgeTone> = { healthy: 'success', degraded: 'warning', unhealthy: 'danger' };
const LABEL: Record<Mirror['state'], string> = { healthy: 'Healthy', degraded: 'Degraded', unhealthy: 'Unhealthy' };

/** Green, amber or red; a state the last probes point towards is named beside it (it changes at the flap threshold). */
export function MirrorStateBadge({ mirror, threshold }: { mirror: Pick<Mirror, 'state' | 'pending_state' | 'pending_count'>; threshold?: number }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1" data-state={mirror.state}>
      <Badge tone={TONE[mirror.state]}>{LABEL[mirror.state]}</Badge>
      {mirror.pending_state && (
        <span className="text-xs text-slate-600" title="Consecutive probes pointing to another state; it changes once they reach the flap threshold">
          → {mirror.pending_state}
          {threshold ? ` (${mirror.pending_count}/${threshold})` : ''}
        </span>
      )}
    </span>
  );
}

export function CheckStateBadge({ state }: { state: Mirror['state'] }) {
  return <Badge tone={TONE[state]}>{LABEL[state]}</Badge>;
}
