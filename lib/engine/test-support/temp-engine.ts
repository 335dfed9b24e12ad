import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createEngine, type Engine } from '../engine';
import { DEFAULT_LIMITS, type PackageLimits } from '../limits';
import type { BlobStore } from '../storage/blob-store';

export type TempEngineOptions = {
  clock?: () => number;
  /** A blob store over the engine's blob directory (e.g. one whose disk fills up). */
  blobs?: (root: string) => BlobStore;
};

/** An engine on a fresh temp data dir (real SQLite file, real blob store). */
export async function tempEngine(
  limits: Partial<PackageLimits> = {},
  opts: TempEngineOptions = {},
): Promise<Engine & { cleanup(): Promise<void> }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'torsh-engine-'));
  const engine = createEngine({
    dataDir,
    limits: { ...DEFAULT_LIMITS, ...limits },
    clock: opts.clock,
    blobs: opts.blobs?.(path.join(dataDir, 'blobs')),
  });
  return {
    ...engine,
    async cleanup() {
      engine.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Every file under the blob store (committed blobs and temp files), relative paths. A missing
 * blob directory is an error, not an empty list: a wrong path must not pass as "nothing left".
 */
export async function listBlobFiles(engine: Engine): Promise<string[]> {
  const root = path.join(engine.dataDir, 'blobs');
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.now()): { now: () => number; advance(ms: number): void; set(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    set: (ms) => {
      t = ms;
    },
  };
}
