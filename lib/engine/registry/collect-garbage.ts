import { sql } from 'drizzle-orm';
import type { Engine } from '../engine';

export type GarbageReport = { tempFilesRemoved: number; blobsRemoved: number; bytesFreed: number };

/**
 * Remove temp files left by crashed uploads and blobs no version references (e.g. the loser of
 * a concurrent publish). Both only after a grace period, so in-flight publishes are never touched.
 */
export async function collectGarbage(engine: Engine, graceMs = 60 * 60 * 1000): Promise<GarbageReport> {
  const tempFilesRemoved = await engine.blobs.sweepTemp(graceMs);
  const referenced = new Set(
    engine.db.all<{ digest: string }>(sql`SELECT DISTINCT digest FROM versions`).map((r) => r.digest),
  );
  const cutoff = Date.now() - graceMs;
  let blobsRemoved = 0;
  let bytesFreed = 0;
  for await (const blob of engine.blobs.list()) {
    if (referenced.has(blob.digest) || blob.modifiedAt > cutoff) continue;
    if (await engine.blobs.delete(blob.digest)) {
      blobsRemoved++;
      bytesFreed += blob.size;
    }
  }
  return { tempFilesRemoved, blobsRemoved, bytesFreed };
}
