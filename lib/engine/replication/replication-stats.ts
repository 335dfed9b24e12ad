import { authorize } from '../access/authorize';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { SERIES } from '../metrics/metric-event';
import { summarizeRange } from '../metrics/query-rollups';
import { listNodeViews } from './node-views';
import { getReplicationConfig } from './replication-config';
import type { NodeView, ReplicationConfig, ReplicationStatistics } from './types';

export const DEFAULT_STATS_WINDOW_MS = 24 * 3_600_000;

function count(engine: Engine, sql: string): number {
  return Number(engine.db.$client.prepare(sql).pluck().get() ?? 0);
}

/**
 * The crate's ReplicationStatistics over a window (default the last 24 hours): node, replica and
 * conflict counts from the tables (indexed counts); operations, average lag and bandwidth from the
 * metric rollups of `replication.op` (one event per apply on a node: ok or error, value the
 * publish-to-durable lag in ms on success, bytes the bytes sent), never from raw events.
 */
export function replicationStats(engine: Engine, range: { from?: number; to?: number } = {}): ReplicationStatistics {
  const to = range.to ?? engine.now();
  const from = range.from ?? to - DEFAULT_STATS_WINDOW_MS;
  const ops = summarizeRange(engine, { series: SERIES.replicationOp, from, to, percentiles: false });
  const seconds = Math.max(1, (to - from) / 1000);
  return {
    total_nodes: count(engine, 'SELECT count(*) FROM replication_nodes'),
    healthy_nodes: count(engine, `SELECT count(*) FROM replication_nodes WHERE state = 'healthy'`),
    total_replicas: count(engine, `SELECT count(*) FROM replicas WHERE state = 'present'`),
    successful_operations: ops.ok,
    failed_operations: ops.errors,
    active_conflicts: count(engine, `SELECT count(*) FROM replication_conflicts WHERE state = 'open'`),
    // Failed applies carry no lag: the mean is over the successful ones.
    average_lag_ms: ops.ok > 0 && ops.min !== null ? Math.round((ops.sum / ops.ok) * 10) / 10 : null,
    bandwidth_bytes_per_sec: Math.round((ops.bytes / seconds) * 10) / 10,
    from,
    to,
  };
}

/** What the Replication page's settings need: the global config and every node. */
export function replicationSettings(engine: Engine): { config: ReplicationConfig; nodes: NodeView[] } {
  return { config: getReplicationConfig(engine), nodes: listNodeViews(engine) };
}

/** The statistics for a caller holding ManageReplication or ViewStats (the guard takes one permission). */
export function replicationStatsFor(engine: Engine, actor: Actor, range: { from?: number; to?: number } = {}): ReplicationStatistics {
  if (!actor.permissions.has('ManageReplication')) authorize(actor, 'ViewStats');
  return replicationStats(engine, range);
}
