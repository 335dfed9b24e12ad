import type { MirrorCheckRow, MirrorRow } from '@/db/schema';

export type MirrorView = {
  id: number;
  url: string;
  region: string;
  priority: number;
  weight: number;
  state: MirrorRow['state'];
  /** A different state the last probes observed, and how many in a row (it changes at the flap threshold). */
  pending_state: MirrorRow['pendingState'];
  pending_count: number;
  last_check_at: number | null;
  latency_ms: number | null;
  position: number | null;
  lag_changes: number | null;
  lag_seconds: number | null;
  load: number | null;
  bytes_held: number | null;
  last_error: string | null;
  state_changed_at: number;
  created_at: number;
  updated_at: number;
};

export type MirrorCheckView = {
  id: number;
  mirror_id: number;
  at: number;
  ok: boolean;
  http_status: number | null;
  latency_ms: number | null;
  lag_changes: number | null;
  state: MirrorCheckRow['state'];
  error: string | null;
};

export function mirrorView(r: MirrorRow): MirrorView {
  return {
    id: r.id,
    url: r.url,
    region: r.region,
    priority: r.priority,
    weight: r.weight,
    state: r.state,
    pending_state: r.pendingState,
    pending_count: r.pendingCount,
    last_check_at: r.lastCheckAt,
    latency_ms: r.lastLatencyMs,
    position: r.position,
    lag_changes: r.lagChanges,
    lag_seconds: r.lagSeconds,
    load: r.load,
    bytes_held: r.bytesHeld,
    last_error: r.lastError,
    state_changed_at: r.stateChangedAt,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

export function mirrorCheckView(r: MirrorCheckRow): MirrorCheckView {
  return {
    id: r.id,
    mirror_id: r.mirrorId,
    at: r.at,
    ok: r.ok,
    http_status: r.httpStatus,
    latency_ms: r.latencyMs,
    lag_changes: r.lagChanges,
    state: r.state,
    error: r.error,
  };
}
