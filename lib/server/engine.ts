import { defaultDataDir } from '@/lib/engine/app-root';
import { blobCacheFromEnv } from '@/lib/engine/storage/memory-cached-blob-store';
import { blobStoreFromEnv } from '@/lib/engine/storage/store-from-config';
import { bootstrapAccounts } from '@/lib/engine/access/bootstrap';
import { createEngine, type Engine } from '@/lib/engine/engine';
import { limitsFromEnv } from '@/lib/engine/limits';
import { registerPromMetrics } from '@/lib/engine/observability/prom-metrics';
import { startJobWorker } from './jobs';

// Kept on globalThis so dev-mode module reloads (and the origin server's separately loaded copy
// of this module) share one engine and one database handle.
const holder = globalThis as unknown as { __torshEngine?: Engine; __torshReady?: Promise<Engine> };

/**
 * Use this engine for the process (tests, or a caller that built its own); must run before
 * the first getEngine().
 */
export function installEngine(engine: Engine, ready: Promise<void> = Promise.resolve()): void {
  holder.__torshEngine = engine;
  holder.__torshReady = ready.then(() => engine);
}

/**
 * The process-wide engine, created on first use (never at import time, so `next build`
 * needs no data dir). Data lives under TORSH_DATA_DIR (default `<install>/data`).
 */
export function getEngine(): Engine {
  if (holder.__torshEngine) return holder.__torshEngine;
  const dataDir = defaultDataDir();
  const engine = createEngine({
    dataDir,
    limits: limitsFromEnv(),
    blobs: blobStoreFromEnv(process.env, dataDir),
    blobCache: blobCacheFromEnv(),
  });
  installEngine(engine, bootstrapAccounts(engine, process.env.TORSH_ADMIN_PASSWORD));
  registerPromMetrics(engine);
  // Housekeeping (GC, expired sessions and uploads, pruning) runs as scheduled jobs (lib/server/jobs.ts).
  startJobWorker(engine);
  return engine;
}

/** The engine once built-in roles and the first admin (TORSH_ADMIN_PASSWORD) exist. */
export async function getReadyEngine(): Promise<Engine> {
  getEngine();
  return holder.__torshReady!;
}
