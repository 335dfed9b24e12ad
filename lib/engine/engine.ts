import path from 'node:path';
import { openDatabase, type Db } from '@/db';
import { DEFAULT_LIMITS, type PackageLimits } from './limits';
import { createDownloadWriter, type DownloadWriter } from './registry/download-writer';
import type { BlobStore } from './storage/blob-store';
import { createLocalBlobStore } from './storage/local-blob-store';

/** Everything an engine operation needs, passed explicitly (no module-level state). */
export type Engine = {
  db: Db;
  blobs: BlobStore;
  limits: PackageLimits;
  dataDir: string;
  /** Download events written behind the responses, in batches. */
  downloads: DownloadWriter;
  /** The time in ms since the epoch (injectable: tests move it instead of sleeping). */
  now: () => number;
  close(): void;
};

export type EngineOptions = {
  dataDir: string;
  limits?: PackageLimits;
  blobs?: BlobStore;
  clock?: () => number;
};

export function createEngine(opts: EngineOptions): Engine {
  const dataDir = path.resolve(opts.dataDir);
  const db = openDatabase(path.join(dataDir, 'torsh.db'));
  const downloads = createDownloadWriter(db);
  return {
    db,
    blobs: opts.blobs ?? createLocalBlobStore(path.join(dataDir, 'blobs')),
    limits: opts.limits ?? DEFAULT_LIMITS,
    dataDir,
    downloads,
    now: opts.clock ?? Date.now,
    close: () => {
      downloads.flush();
      db.$client.close();
    },
  };
}
