import { and, eq, gt, lte, sql } from 'drizzle-orm';
import { blobHolds } from '@/db/schema';
import type { Engine } from '../engine';

/** Long enough for any publish to validate and commit; short enough that a crash pins little. */
export const HOLD_TTL_MS = 6 * 60 * 60 * 1000;

export type BlobHold = {
  /** Hold the temp file a publish is writing (before it exists). */
  tempFile(tempPath: string): void;
  /** Hold the digest too (before the blob is renamed into the store). */
  digest(digest: string): void;
  release(): void;
};

/**
 * A publish in progress holds its temp file and its digest (one blob_holds row), so garbage
 * collection and the temp sweep leave them alone until its version row references the blob.
 * Each step renews the expiry; a crashed publish's hold lapses after HOLD_TTL_MS.
 */
export function holdBlob(engine: Engine): BlobHold {
  let id: number | null = null;
  const set = (fields: { tempPath?: string; digest?: string }) => {
    const expiresAt = engine.now() + HOLD_TTL_MS;
    if (id === null) {
      id = engine.db.insert(blobHolds).values({ ...fields, createdAt: engine.now(), expiresAt }).returning({ id: blobHolds.id }).get().id;
      return;
    }
    engine.db.update(blobHolds).set({ ...fields, expiresAt }).where(eq(blobHolds.id, id)).run();
  };
  return {
    tempFile: (tempPath) => set({ tempPath }),
    digest: (digest) => set({ digest }),
    release() {
      if (id !== null) engine.db.delete(blobHolds).where(eq(blobHolds.id, id)).run();
      id = null;
    },
  };
}

/** Referenced by a version or held by a publish in progress: one read, for right before an unlink. */
export function isDigestLive(engine: Engine, digest: string): boolean {
  const now = engine.now();
  return (
    engine.db.get<{ live: number }>(sql`
      SELECT EXISTS (SELECT 1 FROM versions WHERE digest = ${digest})
          OR EXISTS (SELECT 1 FROM blob_holds WHERE digest = ${digest} AND expires_at > ${now}) AS live`).live === 1
  );
}

export function isTempFileHeld(engine: Engine, tempPath: string): boolean {
  const hit = engine.db
    .select({ id: blobHolds.id })
    .from(blobHolds)
    .where(and(eq(blobHolds.tempPath, tempPath), gt(blobHolds.expiresAt, engine.now())))
    .get();
  return hit !== undefined;
}

/** Forget holds past their expiry (left by crashed publishes). */
export function dropExpiredHolds(engine: Engine): number {
  return engine.db.delete(blobHolds).where(lte(blobHolds.expiresAt, engine.now())).run().changes;
}
