import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { NodeState } from '@/lib/engine/replication/types';

const TONE: Record<NodeState, BadgeTone> = { healthy: 'success', degraded: 'warning', unhealthy: 'danger' };
const LABEL: Record<NodeState, string> = { healthy: 'Healthy', degraded: 'Degraded', unhealthy: 'Unhealthy' };

/** Green, amber or red, as the last check left the node. */
export function NodeStateBadge({ state }: { state: NodeState }) {
  return (
    <span data-state={state}>
      <Badge tone={TONE[state]}>{LABEL[state]}</Badge>
    </span>
  );
}
