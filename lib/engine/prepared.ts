import type { Db } from '@/db';

const caches = new WeakMap<Db, Map<string, unknown>>();

/**
 * A drizzle query built and prepared once per database, then reused with placeholder values
 * (`sql.placeholder`). Building a query (drizzle) and preparing it (SQLite) cost more than
 * running it: the per-request paths (token, session, package lookups) must not pay that each time.
 */
export function prepared<T>(db: Db, key: string, build: (db: Db) => T): T {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let query = cache.get(key) as T | undefined;
  if (query === undefined) {
    query = build(db);
    cache.set(key, query);
  }
  return query;
}
