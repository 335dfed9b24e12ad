import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { EdgeState } from '@/lib/engine/cdn/edge-view';

const TONE: Record<EdgeState, BadgeTone> = { healthy: 'success', degraded: 'warning', unhealthy: 'danger' };

export const EDGE_STATE_HELP: Record<EdgeState, string> = {
  healthy: 'its statistics were read at the last collection',
  degraded: 'the last collection could not read its statistics',
  unhealthy: 'two or more collections in a row could not read its statistics',
};

export function EdgeStateBadge({ state }: { state: EdgeState }) {
  return (
    <span title={EDGE_STATE_HELP[state]}>
      <Badge tone={TONE[state]}>{state}</Badge>
    </span>
  );
}
