import { eq, sql } from 'drizzle-orm';
import { replicas, settings, type ReplicaRow } from '@/db/schema';
import type { Engine } from '../engine';
import { nodeRows } from './node-registry';
import { placeReplicas } from './place-replicas';
import { toPlacementNode } from './plan-replicas';
import { applyKeyPrefix, enqueueApply, insertReplicas } from './replica-rows';
import { effectiveReplication, getReplicationConfig } from './replication-config';
import { sweepNodeTemp } from './sweep-node-temp';
import { REPLICATION_JOBS, type ReplicationConfig } from './types';

/** When the sync job last acted (ms, in the settings table: every process sees the same one). */
export const SYNC_AT_KEY = 'replication.sync_at';

export type SyncResult = { acted: boolean; requeued: number; placed: number; temp_files_removed: number };

/** Claim this sync interval: true when the last sync acted at least sync_interval_secs ago. */
function claimInterval(engine: Engine, config: ReplicationConfig, force: boolean): boolean {
  return engine.db.transaction((tx) => {
    const now = engine.now();
    const row = tx.select().from(settings).where(eq(settings.key, SYNC_AT_KEY)).get();
    if (!force && row && now - Number(row.value) < config.sync_interval_secs * 1_000) return false;
    tx.insert(settings)
      .values({ key: SYNC_AT_KEY, value: String(now), updatedAt: now })
      .onConflictDoUpdate({ target: settings.key, set: { value: String(now), updatedAt: now } })
      .run();
    return true;
  });
}

/**
 * Rows still to apply whose job is gone (dead after its attempts, cancelled by an admin, or never
 * enqueued): a fresh job each, keyed by the row's new updated_at so it never collides with the old one.
 * Rows of a node the check job finds unhealthy wait until it is back (no job churn against a dead node).
 */
function requeueStalled(engine: Engine): number {
  return engine.db.transaction((tx) => {
    const stalled = tx.all<{ id: number }>(sql`
      SELECT r.id AS id FROM replicas r JOIN replication_nodes n ON n.id = r.node_id
      WHERE r.state IN ('pending', 'deleting') AND n.state != 'unhealthy' AND NOT EXISTS (
        SELECT 1 FROM jobs j WHERE j.kind = ${REPLICATION_JOBS.apply} AND j.state IN ('queued', 'running', 'failed')
          AND substr(j.idempotency_key, 1, length('replica:' || r.id || ':')) = 'replica:' || r.id || ':')`);
    for (const { id } of stalled) {
      const row = tx
        .update(replicas)
        .set({ updatedAt: sql`max(${engine.now()}, ${replicas.updatedAt} + 1)` })
        .where(eq(replicas.id, id))
        .returning()
        .get() as ReplicaRow;
      enqueueApply(engine, row);
    }
    return stalled.length;
  });
}

type VersionCount = { name: string; version: string; digest: string; size: number; yanked: number; held: number };

/**
 * Versions with fewer replicas than their package's factor (a node was added or removed, the
 * factor raised, or there were too few nodes at publish time) get pending rows on newly placed
 * nodes, with their apply jobs. Extra replicas (the factor lowered) are kept.
 */
function placeMissing(engine: Engine, config: ReplicationConfig): number {
  const nodes = nodeRows(engine);
  if (nodes.length === 0) return 0;
  const versions = engine.db.all<VersionCount>(sql`
    SELECT p.name AS name, v.version AS version, v.digest AS digest, v.size AS size, v.yanked AS yanked,
      (SELECT count(*) FROM replicas r WHERE r.name = p.name AND r.version = v.version) AS held
    FROM versions v JOIN packages p ON p.id = v.package_id ORDER BY p.name, v.id`);
  const factors = new Map<string, number>();
  const planned = new Map<string, number>();
  let placed = 0;
  for (const v of versions) {
    let factor = factors.get(v.name);
    if (factor === undefined) factors.set(v.name, (factor = effectiveReplication(engine, v.name, config).replication_factor));
    if (v.held >= factor) continue;
    const holders = engine.db
      .select({ nodeId: replicas.nodeId })
      .from(replicas)
      .where(sql`${replicas.name} = ${v.name} AND ${replicas.version} = ${v.version}`)
      .all()
      .map((r) => r.nodeId);
    const candidates = nodes.map((n) => ({ ...toPlacementNode(n), used_bytes: n.usedBytes + (planned.get(n.id) ?? 0) }));
    const chosen = placeReplicas(candidates, {
      factor: factor - v.held,
      size: v.size,
      allowUnhealthy: true,
      holding: candidates.filter((n) => holders.includes(n.id)),
    });
    if (chosen.length === 0) continue;
    engine.db.transaction((tx) => {
      const now = engine.now();
      const seq =
        tx.get<{ seq: number | null }>(sql`SELECT max(seq) AS seq FROM changes WHERE kind = 'publish' AND name = ${v.name} AND version = ${v.version}`)
          ?.seq ?? 0;
      const rows = insertReplicas(
        engine,
        tx,
        chosen.map((n) => ({ nodeId: n.id, name: v.name, version: v.version, digest: v.digest, size: v.size, yanked: v.yanked === 1, seq, committedAt: now, durableAt: null })),
        now,
      );
      placed += rows.length;
    });
    for (const n of chosen) planned.set(n.id, (planned.get(n.id) ?? 0) + v.size);
  }
  return placed;
}

/**
 * The `replication.sync` job: scheduled every few seconds, it acts once per sync_interval_secs.
 * It re-enqueues what is behind and places replicas that are missing, which is how a node that
 * was down (or is new) catches up; and it sweeps temp files that killed writes left on nodes.
 */
export async function syncReplicas(engine: Engine, opts: { force?: boolean; tempGraceMs?: number } = {}): Promise<SyncResult> {
  const config = getReplicationConfig(engine);
  if (!claimInterval(engine, config, opts.force ?? false)) return { acted: false, requeued: 0, placed: 0, temp_files_removed: 0 };
  const requeued = requeueStalled(engine);
  const placed = placeMissing(engine, config);
  const removed = await sweepNodeTemp(engine, opts.tempGraceMs);
  return { acted: true, requeued, placed, temp_files_removed: removed };
}
