import { and, count, desc, eq } from 'drizzle-orm';
import { replicationConflicts, type ReplicationConflictRow } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import type { ConflictStrategy, ConflictView } from './types';

export const MAX_CONFLICTS_PER_PAGE = 100;

export function toConflictView(r: ReplicationConflictRow): ConflictView {
  return {
    id: r.id,
    name: r.name,
    version: r.version,
    node_id: r.nodeId,
    catalogue: { digest: r.catalogueDigest, written_at: r.catalogueWrittenAt },
    node: { digest: r.nodeDigest, written_at: r.nodeWrittenAt },
    detected_at: r.detectedAt,
    strategy: r.strategy,
    state: r.state,
    winner_digest: r.winnerDigest,
    resolved_at: r.resolvedAt,
    resolved_by: r.resolvedBy,
  };
}

export type DetectedConflict = {
  name: string;
  version: string;
  nodeId: string;
  catalogue: { digest: string; writtenAt: number };
  node: { digest: string; writtenAt: number };
  strategy: ConflictStrategy;
};

/**
 * The ledger row for a conflict the scrub found: the open row for this name@version, node and
 * node digest when there is one (a conflict seen by every scrub stays one row), else a new one.
 * better-sqlite3 is synchronous, so the lookup and the insert cannot interleave with another.
 */
export function recordConflict(engine: Engine, c: DetectedConflict): { row: ReplicationConflictRow; created: boolean } {
  const open = engine.db
    .select()
    .from(replicationConflicts)
    .where(
      and(
        eq(replicationConflicts.name, c.name),
        eq(replicationConflicts.version, c.version),
        eq(replicationConflicts.nodeId, c.nodeId),
        eq(replicationConflicts.nodeDigest, c.node.digest),
        eq(replicationConflicts.state, 'open'),
      ),
    )
    .get();
  if (open) return { row: open, created: false };
  const row = engine.db
    .insert(replicationConflicts)
    .values({
      name: c.name,
      version: c.version,
      nodeId: c.nodeId,
      catalogueDigest: c.catalogue.digest,
      catalogueWrittenAt: c.catalogue.writtenAt,
      nodeDigest: c.node.digest,
      nodeWrittenAt: c.node.writtenAt,
      detectedAt: engine.now(),
      strategy: c.strategy,
      state: 'open',
    })
    .returning()
    .get();
  return { row, created: true };
}

export function conflictRow(engine: Engine, id: number): ReplicationConflictRow {
  const row = engine.db.select().from(replicationConflicts).where(eq(replicationConflicts.id, id)).get();
  if (!row) throw new AppError('CONFLICT_NOT_FOUND', `no replication conflict ${id}`);
  return row;
}

export type ConflictFilter = { state?: 'open' | 'resolved'; page?: number; per_page?: number };
export type ConflictPage = { total: number; page: number; per_page: number; conflicts: ConflictView[] };

/** The ledger, newest first (open and resolved unless `state` says which). */
export function listConflicts(engine: Engine, filter: ConflictFilter = {}): ConflictPage {
  const page = Math.max(1, Math.floor(filter.page ?? 1));
  const perPage = Math.min(MAX_CONFLICTS_PER_PAGE, Math.max(1, Math.floor(filter.per_page ?? 20)));
  const where = filter.state ? eq(replicationConflicts.state, filter.state) : undefined;
  const total = engine.db.select({ n: count() }).from(replicationConflicts).where(where).get()!.n;
  const rows = engine.db
    .select()
    .from(replicationConflicts)
    .where(where)
    .orderBy(desc(replicationConflicts.detectedAt), desc(replicationConflicts.id))
    .limit(perPage)
    .offset((page - 1) * perPage)
    .all();
  return { total, page, per_page: perPage, conflicts: rows.map(toConflictView) };
}
