import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { appRoot } from '../lib/engine/app-root';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Where the committed drizzle-kit migrations live (overridable for packaged CLIs). */
export function migrationsDir(): string {
  return process.env.TORSH_MIGRATIONS_DIR ?? path.join(appRoot(), 'db', 'migrations');
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Keep prepared statements by SQL text (LRU), so a query built again with the same shape (a
 * search for another term, a visibility filter for another user: values are bound, the text is
 * the same) is not prepared again. Statement modes that drizzle toggles (raw) are reset on each
 * hand-out, and a statement still being iterated is never shared.
 */
function cacheStatements(sqlite: Database.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    const hit = cache.get(source);
    if (hit && !hit.busy) {
      cache.delete(source);
      cache.set(source, hit);
      if (hit.reader) hit.raw(false).pluck(false).expand(false);
      return hit;
    }
    const stmt = prepare(source);
    if (!hit) {
      cache.set(source, stmt);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    return stmt;
  }) as typeof sqlite.prepare;
}

/**
 * Open (creating if needed) the SQLite database, set pragmas and apply pending migrations.
 * Called lazily by the engine, never at import time, so `next build` needs no data dir.
 */
export function openDatabase(file: string): Db {
  mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  cacheStatements(sqlite);
  const db = drizzle(sqlite, { schema }) as Db;
  migrate(db, { migrationsFolder: migrationsDir() });
  return db;
}

export { schema };
