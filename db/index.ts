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
  const db = drizzle(sqlite, { schema }) as Db;
  migrate(db, { migrationsFolder: migrationsDir() });
  return db;
}

export { schema };
