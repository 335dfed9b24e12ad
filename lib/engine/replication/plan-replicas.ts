import type { ReplicationNodeRow } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { nodeRows } from './node-registry';
import { placeReplicas, type PlacementNode } from './place-replicas';
import { effectiveReplication } from './replication-config';
import type { Consistency } from './types';

export type ReplicaPlan = {
  consistency: Consistency;
  factor: number;
  /** Written before the publish is acknowledged (quorum, strong). */
  sync: ReplicationNodeRow[];
  /** Left to `replication.apply` jobs. */
  async: ReplicationNodeRow[];
  /** Durable copies needed before the publish is acknowledged: 0, a majority ⌊f/2⌋+1, or f. */
  required: number;
};

export function toPlacementNode(row: ReplicationNodeRow): PlacementNode {
  return { id: row.id, region: row.region, priority: row.priority, state: row.state, capacity_bytes: row.capacityBytes, used_bytes: row.usedBytes };
}

export function majorityOf(factor: number): number {
  return Math.floor(factor / 2) + 1;
}

function describe(rows: ReplicationNodeRow[]): string {
  return rows.length === 0 ? 'no nodes are registered' : rows.map((r) => `${r.id}: ${r.state}`).join(', ');
}

/**
 * Where a new version of `name` goes and which copies the publish waits for. Eventual and causal
 * wait for none (an unhealthy node may be chosen when nothing else is left: its replica waits for
 * it). Quorum writes to every placed node that is not unhealthy and needs a majority of the
 * factor; strong needs all `factor` on healthy or degraded nodes. Too few such nodes fails fast
 * (REPLICATION_FAILED) before anything is written.
 */
export function planReplicas(engine: Engine, name: string, size: number): ReplicaPlan {
  const { consistency, replication_factor: factor } = effectiveReplication(engine, name);
  const empty: ReplicaPlan = { consistency, factor, sync: [], async: [], required: 0 };
  if (factor <= 0) return empty;
  const rows = nodeRows(engine);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const place = (allowUnhealthy: boolean) => placeReplicas(rows.map(toPlacementNode), { factor, size, allowUnhealthy }).map((n) => byId.get(n.id)!);
  if (consistency === 'eventual' || consistency === 'causal') return { ...empty, async: place(true) };
  const required = consistency === 'strong' ? factor : majorityOf(factor);
  const placed = place(consistency === 'quorum');
  const live = placed.filter((r) => r.state !== 'unhealthy');
  if (live.length < required) {
    throw new AppError(
      'REPLICATION_FAILED',
      `${consistency} replication of ${name} needs ${required} healthy replication node(s) with room for ${size} bytes; ${live.length} available (${describe(rows)})`,
    );
  }
  return { ...empty, required, sync: live, async: placed.filter((r) => r.state === 'unhealthy') };
}
