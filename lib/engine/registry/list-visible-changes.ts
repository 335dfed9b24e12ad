import { sql } from 'drizzle-orm';
import { visiblePackagesSql } from '../access/package-access';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { digestRef, type ChangeView } from './views';

export const MAX_CHANGES_PER_PAGE = 1000;

export type VisibleChange = ChangeView & { public: boolean };

export type ChangePage = { changes: VisibleChange[]; next: number; head: number };

type RawChange = { seq: number; kind: ChangeView['kind']; name: string; version: string | null; digest: string | null; size: number | null; data: string | null; public: number; created_at: number };

/** The newest seq of the feed (0 while it is empty). */
export function feedHead(engine: Engine): number {
  return (engine.db.$client.prepare('SELECT coalesce(max(seq), 0) AS head FROM changes').get() as { head: number }).head;
}

/**
 * The changes after `since` that `actor` may follow, oldest first: anonymous callers see rows
 * marked public (the package was public when the change committed, or a visibility change to or
 * from public); others also see changes of packages they may read now. `next` is where to ask
 * from next time: the last row returned, or `head` when the page was not full (every visible
 * change up to head has been given), so a follower reaches head past changes it may not see.
 * `'everything'`: the raw feed (the engine's own readers).
 */
export function listVisibleChanges(engine: Engine, actor: Actor | 'everything', input: { since?: number; limit?: number } = {}): ChangePage {
  const since = input.since ?? 0;
  const limit = input.limit ?? 100;
  if (!Number.isSafeInteger(since) || since < 0) throw new AppError('INVALID_INPUT', `since must be a sequence number ≥ 0, not ${since}`);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_CHANGES_PER_PAGE) {
    throw new AppError('INVALID_INPUT', `limit must be 1–${MAX_CHANGES_PER_PAGE}, not ${limit}`);
  }
  const read = engine.db.$client.transaction(() => {
    const head = feedHead(engine);
    const visible = actor === 'everything' || (actor.isAdmin && !actor.scopes) ? sql`1` : sql`(c.public = 1 OR c.name IN (SELECT p.name FROM packages p WHERE ${visiblePackagesSql(actor)}))`;
    const rows = engine.db.all<RawChange>(sql`
      SELECT c.seq, c.kind, c.name, c.version, c.digest, c.size, c.data, c.public, c.created_at
      FROM changes c
      WHERE c.seq > ${since} AND c.seq <= ${head} AND ${visible}
      ORDER BY c.seq
      LIMIT ${limit}`);
    return { head, rows };
  });
  const { head, rows } = read();
  const next = rows.length === limit ? rows[rows.length - 1].seq : Math.max(since, head);
  return {
    changes: rows.map((r) => ({
      seq: r.seq,
      kind: r.kind,
      name: r.name,
      version: r.version,
      digest: r.digest === null ? null : digestRef(r.digest),
      size: r.size,
      data: r.data === null ? null : JSON.parse(r.data),
      public: r.public === 1,
      created_at: r.created_at,
    })),
    next,
    head,
  };
}
