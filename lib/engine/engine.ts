import path from 'node:path';
import { openDatabase, type Db } from '@/db';
import { DEFAULT_LIMITS, type PackageLimits } from './limits';
import { createMetricsWriter, type MetricsWriter } from './metrics/metrics-writer';
import type { BlobStore } from './storage/blob-store';
import { withMemoryCache, type BlobCacheOptions } from './storage/memory-cached-blob-store';
import { createLocalBlobStore } from './storage/local-blob-store';

/** Everything an engine operation needs, passed explicitly (no module-level state). */
export type Engine = {
  db: Db;
  blobs: BlobStore;
  limits: PackageLimits;
  dataDir: string;
  /** Metric events (downloads, publishes, API requests, job runs…) written behind the work, in batches. */
  metrics: MetricsWriter;
  /** The time in ms since the epoch (injectable: tests move it instead of sleeping). */
  now: () => number;
  close(): void;
};

export type EngineOptions = {
  dataDir: string;
  limits?: PackageLimits;
  blobs?: BlobStore;
  /** Serve small blobs from memory (off unless given). */
  blobCache?: BlobCacheOptions;
  clock?: () => number;
};

function withBlobCache(store: BlobStore, opts: BlobCacheOptions | undefined): BlobStore {
  return opts && opts.maxBytes > 0 ? withMemoryCache(store, opts) : store;
}

export function createEngine(opts: EngineOptions): Engine {
  const dataDir = path.resolve(opts.dataDir);
  const db = openDatabase(path.join(dataDir, 'torsh.db'));
  const metrics = createMetricsWriter(db);
  return {
    db,
    blobs: withBlobCache(opts.blobs ?? createLocalBlobStore(path.join(dataDir, 'blobs')), opts.blobCache),
    limits: opts.limits ?? DEFAULT_LIMITS,
    dataDir,
    metrics,
    now: opts.clock ?? Date.now,
    close: () => {
      metrics.flush();
      db.$client.close();
    },
  };
}
