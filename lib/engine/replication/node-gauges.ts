import type { Engine } from '../engine';
import { UP_VALUE } from '../mirrors/mirror-state';
import type { GaugeSample } from '../observability/prom-gauges';

type Row = { id: string; region: string; state: keyof typeof UP_VALUE; ops: number | null; bytes: number | null; oldest: number | null };

/** One indexed pass: every node with its backlog (rows not yet present), nodes without one included. */
function rows(engine: Engine): Row[] {
  return engine.db.$client
    .prepare(
      `SELECT n.id, n.region, n.state, b.ops, b.bytes, b.oldest FROM replication_nodes n
       LEFT JOIN (SELECT node_id, count(*) AS ops, sum(CASE WHEN state = 'pending' THEN size ELSE 0 END) AS bytes, min(committed_at) AS oldest
                  FROM replicas WHERE state IN ('pending', 'deleting') GROUP BY node_id) b ON b.node_id = n.id
       ORDER BY n.id`,
    )
    .all() as Row[];
}

/** 1 healthy, 0.5 degraded, 0 unhealthy (the `replication.up` series). */
export function nodeUpSamples(engine: Engine): GaugeSample[] {
  return rows(engine).map((r) => ({ labels: { node: r.id, region: r.region }, value: UP_VALUE[r.state] ?? 0 }));
}

/** The age of each node's oldest unapplied operation (0 when caught up). */
export function nodeLagSamples(engine: Engine): GaugeSample[] {
  const now = engine.now();
  return rows(engine).map((r) => ({ labels: { node: r.id }, value: r.oldest === null ? 0 : Math.max(0, now - r.oldest) / 1000 }));
}

export function nodeBacklogOpsSamples(engine: Engine): GaugeSample[] {
  return rows(engine).map((r) => ({ labels: { node: r.id }, value: r.ops ?? 0 }));
}

export function nodeBacklogBytesSamples(engine: Engine): GaugeSample[] {
  return rows(engine).map((r) => ({ labels: { node: r.id }, value: r.bytes ?? 0 }));
}
