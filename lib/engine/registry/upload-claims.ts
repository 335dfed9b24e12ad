import { and, eq, lt } from 'drizzle-orm';
import { uploadClaims } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError } from '../errors';

/** A finalisation that has not finished after this long crashed: another may take its claim over. */
export const CLAIM_LEASE_MS = 60 * 60 * 1000;

/**
 * Claim a finished upload for publishing, atomically (one SQLite statement): of two
 * finalisations of the same upload, exactly one gets it. The other is told it is being
 * published (UPLOAD_IN_USE) or already was (UPLOAD_NOT_FOUND).
 */
export function claimUpload(engine: Engine, uploadId: string, claimedBy: string): void {
  const now = engine.now();
  const taken = engine.db
    .insert(uploadClaims)
    .values({ uploadId, state: 'publishing', claimedAt: now, claimedBy })
    .onConflictDoUpdate({
      target: uploadClaims.uploadId,
      set: { claimedAt: now, claimedBy },
      setWhere: and(eq(uploadClaims.state, 'publishing'), lt(uploadClaims.claimedAt, now - CLAIM_LEASE_MS)),
    })
    .run();
  if (taken.changes === 1) return;
  const held = engine.db.select().from(uploadClaims).where(eq(uploadClaims.uploadId, uploadId)).get();
  if (held?.state === 'published') throw new AppError('UPLOAD_NOT_FOUND', `this upload was published already, as ${held.result}`);
  throw new AppError('UPLOAD_IN_USE', 'this upload is being published; wait for that to finish');
}

export function markUploadPublished(engine: Engine, uploadId: string, result: string): void {
  engine.db.update(uploadClaims).set({ state: 'published', result }).where(eq(uploadClaims.uploadId, uploadId)).run();
}

/** Give a claim back (the publish failed): the upload may be finalised again. */
export function releaseUploadClaim(engine: Engine, uploadId: string): void {
  engine.db.delete(uploadClaims).where(and(eq(uploadClaims.uploadId, uploadId), eq(uploadClaims.state, 'publishing'))).run();
}

/** Being published, or published: the upload's bytes must not change or go. */
export function isUploadClaimed(engine: Engine, uploadId: string): boolean {
  return engine.db.select({ id: uploadClaims.uploadId }).from(uploadClaims).where(eq(uploadClaims.uploadId, uploadId)).get() !== undefined;
}

/** Forget claims taken before `before` (their uploads have expired anyway). */
export function pruneUploadClaims(engine: Engine, before: number): number {
  return engine.db.delete(uploadClaims).where(lt(uploadClaims.claimedAt, before)).run().changes;
}
