import { asc, gt } from 'drizzle-orm';
import { changes } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { digestRef, type ChangeView } from './views';

const MAX_CHANGES_PER_PAGE = 1000;

/**
 * The change feed after `since` (a seq), oldest first; `next` is the seq to ask from next time
 * (unchanged when nothing is new). Visibility filtering is the caller's: this is the raw feed.
 */
export function listChanges(engine: Engine, input: { since?: number; limit?: number } = {}): { changes: ChangeView[]; next: number } {
  const since = input.since ?? 0;
  const limit = input.limit ?? 100;
  if (!Number.isSafeInteger(since) || since < 0) throw new AppError('INVALID_INPUT', `since must be a sequence number ≥ 0, not ${since}`);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_CHANGES_PER_PAGE) {
    throw new AppError('INVALID_INPUT', `limit must be 1–${MAX_CHANGES_PER_PAGE}, not ${limit}`);
  }
  const rows = engine.db.select().from(changes).where(gt(changes.seq, since)).orderBy(asc(changes.seq)).limit(limit).all();
  return {
    changes: rows.map((r) => ({
      seq: r.seq,
      kind: r.kind,
      name: r.name,
      version: r.version,
      digest: r.digest === null ? null : digestRef(r.digest),
      size: r.size,
      data: r.data === null ? null : JSON.parse(r.data),
      created_at: r.createdAt,
    })),
    next: rows.length > 0 ? rows[rows.length - 1].seq : since,
  };
}
