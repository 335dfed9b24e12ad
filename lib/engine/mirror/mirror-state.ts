import { eq } from 'drizzle-orm';
import type { Db } from '@/db';
import { mirrorSync } from '@/db/schema';
import type { Engine } from '../engine';

type Tx = Pick<Db, 'update'>;

export type SyncRow = typeof mirrorSync.$inferSelect;

/** The mirror's position on this upstream's feed (a row is created at position 0). */
export function readSync(engine: Engine, upstream: string): SyncRow {
  engine.db.insert(mirrorSync).values({ upstream, updatedAt: engine.now() }).onConflictDoNothing().run();
  return engine.db.select().from(mirrorSync).where(eq(mirrorSync.upstream, upstream)).get()!;
}

/** Move the position; called inside the transaction that applied everything up to it. */
export function setPosition(tx: Tx, upstream: string, position: number, now: number): void {
  tx.update(mirrorSync).set({ position, updatedAt: now }).where(eq(mirrorSync.upstream, upstream)).run();
}

export function recordContact(engine: Engine, upstream: string, head: number): void {
  const now = engine.now();
  engine.db.update(mirrorSync).set({ head, lastContactAt: now, lastError: null, updatedAt: now }).where(eq(mirrorSync.upstream, upstream)).run();
}

export function recordCaughtUp(engine: Engine, upstream: string): void {
  const now = engine.now();
  engine.db.update(mirrorSync).set({ caughtUpAt: now, updatedAt: now }).where(eq(mirrorSync.upstream, upstream)).run();
}

export function recordSyncError(engine: Engine, upstream: string, message: string): void {
  engine.db.update(mirrorSync).set({ lastError: message.slice(0, 1000), updatedAt: engine.now() }).where(eq(mirrorSync.upstream, upstream)).run();
}
