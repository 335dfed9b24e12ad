import type { Engine } from '../engine';
import { dropExpiredHolds, isDigestLive, isTempFileHeld } from './blob-holds';

export type GarbageReport = { tempFilesRemoved: number; blobsRemoved: number; bytesFreed: number };

export type GarbageOptions = {
  /** Temp files untouched for this long are leftovers of a crash, unless a publish holds them. */
  tempGraceMs?: number;
};

const HOUR_MS = 60 * 60 * 1000;

/**
 * Remove temp files left by crashed uploads and blobs no version references (e.g. the loser of
 * a concurrent publish, or a deleted version's). Safe by construction against a publish in
 * progress: it holds its temp file and digest (blob-holds.ts), and each removal re-checks the
 * database in the same synchronous step as the unlink, so a hold or version row committed at
 * any point before that step keeps the file.
 */
export async function collectGarbage(engine: Engine, opts: GarbageOptions = {}): Promise<GarbageReport> {
  dropExpiredHolds(engine);
  const tempFilesRemoved = await engine.blobs.sweepTemp({
    olderThan: engine.now() - (opts.tempGraceMs ?? HOUR_MS),
    keep: (tempPath) => isTempFileHeld(engine, tempPath),
  });
  let blobsRemoved = 0;
  let bytesFreed = 0;
  for await (const blob of engine.blobs.list()) {
    if (await engine.blobs.delete(blob.digest, () => isDigestLive(engine, blob.digest))) {
      blobsRemoved++;
      bytesFreed += blob.size;
    }
  }
  return { tempFilesRemoved, blobsRemoved, bytesFreed };
}
