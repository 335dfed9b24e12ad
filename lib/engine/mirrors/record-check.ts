import { eq } from 'drizzle-orm';
import { mirrorChecks, mirrors, type MirrorRow, type MirrorState } from '@/db/schema';
import type { Engine } from '../engine';
import { SERIES } from '../metrics/metric-event';
import { recordGauge } from '../metrics/record';
import { mirrorLag } from './mirror-lag';
import { UP_VALUE } from './mirror-state';
import type { ProbeResult } from './probe-mirror';

export type CheckOutcome = { lagChanges: number | null; lagSeconds: number | null };

/** What a probe tells about lag (null when it failed: the last known figures stay on the row). */
export function lagOf(engine: Engine, probe: ProbeResult): CheckOutcome {
  return probe.ok ? mirrorLag(engine, probe.health.position) : { lagChanges: null, lagSeconds: null };
}

/**
 * Store one probe: the mirror row (its state memory and last readings), a history row, and the
 * gauges the Mirrors page charts (dim `m:<id>`).
 */
export function recordCheck(
  engine: Engine,
  mirror: Pick<MirrorRow, 'id'>,
  probe: ProbeResult,
  lag: CheckOutcome,
  next: { state: MirrorState; pendingState: MirrorState | null; pendingCount: number; changed: boolean },
): void {
  const now = engine.now();
  const readings = probe.ok
    ? {
        lastLatencyMs: probe.latencyMs,
        position: probe.health.position,
        lagChanges: lag.lagChanges,
        lagSeconds: lag.lagSeconds ?? probe.health.lagSeconds,
        load: probe.health.load,
        bytesHeld: probe.health.bytesHeld,
        lastError: null,
      }
    : { lastError: probe.error };
  engine.db.transaction((tx) => {
    tx.update(mirrors)
      .set({
        ...readings,
        state: next.state,
        pendingState: next.pendingState,
        pendingCount: next.pendingCount,
        lastCheckAt: now,
        ...(next.changed ? { stateChangedAt: now } : {}),
      })
      .where(eq(mirrors.id, mirror.id))
      .run();
    tx.insert(mirrorChecks)
      .values({
        mirrorId: mirror.id,
        at: now,
        ok: probe.ok,
        httpStatus: probe.status,
        latencyMs: probe.latencyMs,
        lagChanges: lag.lagChanges,
        state: next.state,
        error: probe.ok ? null : probe.error,
      })
      .run();
  });
  const dim = [`m:${mirror.id}`];
  recordGauge(engine, SERIES.mirrorUp, UP_VALUE[next.state], dim);
  if (probe.ok) recordGauge(engine, SERIES.mirrorLatencyMs, probe.latencyMs, dim);
  if (lag.lagChanges !== null) recordGauge(engine, SERIES.mirrorLagChanges, lag.lagChanges, dim);
}
