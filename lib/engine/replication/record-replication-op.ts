import type { Engine } from '../engine';
import { SERIES } from '../metrics/metric-event';

/**
 * One apply on a node (dim `n:<node>`): value = publish-commit-to-durable ms (0 for a copy made
 * before the commit), bytes = bytes sent; an error is `ok: false, error: true` with no value.
 */
export function recordReplicationOp(engine: Engine, node: string, m: { ok: boolean; lagMs: number | null; bytes: number; detail?: Record<string, unknown> }): void {
  engine.metrics.add({
    series: SERIES.replicationOp,
    at: engine.now(),
    value: m.ok && m.lagMs !== null ? Math.max(0, m.lagMs) : null,
    bytes: m.bytes,
    ok: m.ok,
    error: !m.ok,
    dims: [`n:${node}`],
    detail: m.detail,
  });
}
