import type { ReplicationNodeRow } from '@/db/schema';
import type { Engine } from '../engine';
import { nodeRow, nodeRows } from './node-registry';
import type { NodeBackendPublic, NodeView } from './types';

/** What each node still has to do: from `replicas` through its (state, node_id) index (unapplied rows only). */
export type NodeLoad = { backlogOps: number; backlogBytes: number; oldestCommittedAt: number | null };

const EMPTY: NodeLoad = { backlogOps: 0, backlogBytes: 0, oldestCommittedAt: null };

type LoadRow = { node_id: string; ops: number; bytes: number; oldest: number | null };

/** Backlog: rows not yet `present` (a pending write counts its bytes; a pending delete none). */
export function nodeLoads(engine: Engine, nodeId?: string): Map<string, NodeLoad> {
  const where = nodeId === undefined ? '' : ' AND node_id = ?';
  const args = nodeId === undefined ? [] : [nodeId];
  const backlog = engine.db.$client
    .prepare(
      `SELECT node_id, count(*) AS ops, coalesce(sum(CASE WHEN state = 'pending' THEN size ELSE 0 END), 0) AS bytes, min(committed_at) AS oldest
       FROM replicas WHERE state IN ('pending', 'deleting')${where} GROUP BY node_id`,
    )
    .all(...args) as LoadRow[];
  return new Map(backlog.map((r) => [r.node_id, { backlogOps: r.ops, backlogBytes: r.bytes, oldestCommittedAt: r.oldest }]));
}

/**
 * The sizes of each node's present replicas: what `replication_nodes.used_bytes` keeps (the
 * apply job refreshes one node's after each change, the check job all of them). Pages read the
 * column, never this sum.
 */
export function usedBytesByNode(engine: Engine): Map<string, number> {
  const rows = engine.db.$client.prepare(`SELECT node_id, sum(size) AS bytes FROM replicas WHERE state = 'present' GROUP BY node_id`).all() as {
    node_id: string;
    bytes: number;
  }[];
  return new Map(rows.map((r) => [r.node_id, r.bytes]));
}

/** The current lag: how long the oldest unapplied operation has waited (0 when caught up). */
export function currentLagMs(load: NodeLoad, now: number): number {
  return load.oldestCommittedAt === null ? 0 : Math.max(0, now - load.oldestCommittedAt);
}

export function nodeView(row: ReplicationNodeRow, load: NodeLoad, now: number): NodeView {
  return {
    id: row.id,
    region: row.region,
    priority: row.priority,
    capacity_bytes: row.capacityBytes,
    used_bytes: row.usedBytes,
    backend: JSON.parse(row.backend) as NodeBackendPublic,
    state: row.state,
    last_check_at: row.lastCheckAt,
    last_latency_ms: row.lastLatencyMs,
    last_error: row.lastError,
    backlog_ops: load.backlogOps,
    backlog_bytes: load.backlogBytes,
    lag_ms: currentLagMs(load, now),
    created_at: row.createdAt,
  };
}

/** Every node with its backlog, current lag and used bytes (the kept column), by priority, then id. No secrets. */
export function listNodeViews(engine: Engine): NodeView[] {
  const loads = nodeLoads(engine);
  const now = engine.now();
  return nodeRows(engine).map((r) => nodeView(r, loads.get(r.id) ?? EMPTY, now));
}

/** One node's view; REPLICATION_NODE_NOT_FOUND when there is none. */
export function getNodeView(engine: Engine, id: string): NodeView {
  const row = nodeRow(engine, id);
  return nodeView(row, nodeLoads(engine, id).get(id) ?? EMPTY, engine.now());
}
