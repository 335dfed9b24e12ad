import type { MirrorState } from '@/db/schema';
import type { MirrorCheckConfig } from './mirror-config';

export type StateMemory = { state: MirrorState; pendingState: MirrorState | null; pendingCount: number };

/** What one probe says about the mirror, before the anti-flapping rule. */
export function observedState(
  probe: { ok: boolean; latencyMs: number | null; lagChanges: number | null },
  config: Pick<MirrorCheckConfig, 'degradedMs' | 'degradedLag'>,
): MirrorState {
  if (!probe.ok) return 'unhealthy';
  if (probe.latencyMs !== null && probe.latencyMs > config.degradedMs) return 'degraded';
  if (probe.lagChanges !== null && probe.lagChanges > config.degradedLag) return 'degraded';
  return 'healthy';
}

/**
 * The state changes only after `threshold` consecutive probes observed the same other state; a
 * probe agreeing with the current state clears what was pending.
 */
export function nextState(memory: StateMemory, observed: MirrorState, threshold: number): StateMemory & { changed: boolean } {
  if (observed === memory.state) return { state: memory.state, pendingState: null, pendingCount: 0, changed: false };
  const count = memory.pendingState === observed ? memory.pendingCount + 1 : 1;
  if (count >= threshold) return { state: observed, pendingState: null, pendingCount: 0, changed: true };
  return { state: memory.state, pendingState: observed, pendingCount: count, changed: false };
}

/** The `mirror.up` gauge's reading for a state. */
export const UP_VALUE: Record<MirrorState, number> = { healthy: 1, degraded: 0.5, unhealthy: 0 };
