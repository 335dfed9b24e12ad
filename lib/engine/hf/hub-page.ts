import { AppError } from '../errors';
import type { HubRevision } from './hub-repo';

/** Entries per tree page, as the Hub pages its listings (`limit` may ask for fewer, never more). */
export const TREE_PAGE_SIZE = 1000;

export type HubPage<T> = { items: T[]; next: string | null };

type Cursor = { c: string; o: number };

const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

function decode(cursor: string, rev: HubRevision): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const c = parsed as Partial<Cursor> | null;
  if (!c || typeof c.c !== 'string' || !Number.isSafeInteger(c.o) || (c.o as number) < 0) {
    throw new AppError('INVALID_INPUT', 'the cursor is not one this server handed out');
  }
  // A cursor names the commit it pages through: another revision's listing would skip or repeat entries.
  if (c.c !== rev.commit) throw new AppError('INVALID_INPUT', 'the cursor belongs to another revision; list again from the first page');
  return c.o as number;
}

/**
 * One page of a listing: `limit` items (1–1000, default 1000) from the cursor on, and the cursor of
 * the next page (null on the last). Cursors are opaque to clients and tied to the revision's commit.
 */
export function hubPage<T>(items: T[], rev: HubRevision, opts: { cursor?: string | null; limit?: string | null } = {}): HubPage<T> {
  let limit = TREE_PAGE_SIZE;
  if (opts.limit != null && opts.limit !== '') {
    const n = Number(opts.limit);
    if (!Number.isInteger(n) || n < 1) throw new AppError('INVALID_INPUT', `limit must be a whole number from 1 to ${TREE_PAGE_SIZE}`);
    limit = Math.min(n, TREE_PAGE_SIZE);
  }
  const offset = opts.cursor ? decode(opts.cursor, rev) : 0;
  const end = offset + limit;
  return { items: items.slice(offset, end), next: end < items.length ? encode({ c: rev.commit, o: end }) : null };
}
