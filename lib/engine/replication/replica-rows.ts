import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '@/db';
import { replicas, type ReplicaRow } from '@/db/schema';
import type { Engine } from '../engine';
import { createSqliteQueue } from '../jobs/sqlite-queue';
import { REPLICATION_JOBS } from './types';

type Tx = Pick<Db, 'insert' | 'select' | 'update'>;

/** Attempts per apply job before it is dead (the sync job enqueues a fresh one later). */
export const APPLY_MAX_ATTEMPTS = 8;

export type ApplyPayload = { node: string; name: string; version: string };

/**
 * One job per row and row state: the key names the row and the moment it last changed, so a yank
 * after a publish gets its own job, and two syncs that find the same dead job add one, not two.
 */
export function applyKey(row: Pick<ReplicaRow, 'id' | 'updatedAt' | 'attempts' | 'state' | 'yanked'>): string {
  return `replica:${row.id}:${row.updatedAt}:${row.attempts}:${row.state}${row.yanked ? ':y' : ''}`;
}

/** The key prefix of every apply job of one row (the sync job looks for a live one). */
export function applyKeyPrefix(rowId: number): string {
  return `replica:${rowId}:`;
}

/**
 * Enqueue the row's apply job. Called inside the transaction that changed the row (better-sqlite3
 * runs the queue's INSERT on the same connection), so a crash cannot keep the row and lose the job.
 */
export function enqueueApply(engine: Engine, row: ReplicaRow): void {
  const payload: ApplyPayload = { node: row.nodeId, name: row.name, version: row.version };
  createSqliteQueue(engine).enqueue(REPLICATION_JOBS.apply, payload, { idempotencyKey: applyKey(row), maxAttempts: APPLY_MAX_ATTEMPTS });
}

export type NewReplica = {
  nodeId: string;
  name: string;
  version: string;
  digest: string;
  size: number;
  yanked?: boolean;
  seq: number;
  committedAt: number;
  /** Set when the copy is already durable on the node (written before the publish committed). */
  durableAt: number | null;
};

/** Insert replica rows (present when durable, else pending with an apply job), in the caller's transaction. */
export function insertReplicas(engine: Engine, tx: Tx, rows: readonly NewReplica[], now: number): ReplicaRow[] {
  const out: ReplicaRow[] = [];
  for (const r of rows) {
    const row = tx
      .insert(replicas)
      .values({
        nodeId: r.nodeId,
        name: r.name,
        version: r.version,
        digest: r.digest,
        size: r.size,
        yanked: r.yanked ?? false,
        state: r.durableAt === null ? 'pending' : 'present',
        seq: r.seq,
        committedAt: r.committedAt,
        durableAt: r.durableAt,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning()
      .get();
    if (!row) continue;
    if (row.state === 'pending') enqueueApply(engine, row);
    out.push(row);
  }
  return out;
}

/**
 * A yank or unyank: every node's ref must carry the new flag, so each row goes back to pending
 * (a row still pending keeps its older commit time: the lag counts from the oldest unapplied change).
 */
export function markReplicasYanked(engine: Engine, tx: Tx, name: string, version: string, yanked: boolean, now: number): void {
  const rows = tx
    .select()
    .from(replicas)
    .where(and(eq(replicas.name, name), eq(replicas.version, version), ne(replicas.state, 'deleting')))
    .all();
  for (const r of rows) {
    const updated = tx
      .update(replicas)
      .set({ yanked, state: 'pending', committedAt: r.state === 'pending' ? r.committedAt : now, updatedAt: now })
      .where(eq(replicas.id, r.id))
      .returning()
      .get()!;
    enqueueApply(engine, updated);
  }
}

/** A delete: every node's ref (and the blob, unless another version on the node shares it) is to go. */
export function markReplicasDeleting(engine: Engine, tx: Tx, name: string, version: string, now: number): void {
  const rows = tx
    .update(replicas)
    .set({ state: 'deleting', committedAt: now, updatedAt: now, attempts: 0, lastError: null })
    .where(and(eq(replicas.name, name), eq(replicas.version, version)))
    .returning()
    .all();
  for (const r of rows) enqueueApply(engine, r);
}
