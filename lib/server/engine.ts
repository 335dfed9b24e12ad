import { defaultDataDir } from '@/lib/engine/app-root';
import { blobCacheFromEnv } from '@/lib/engine/storage/memory-cached-blob-store';
import { bootstrapAccounts } from '@/lib/engine/access/bootstrap';
import { pruneLoginAttempts } from '@/lib/engine/access/login';
import { deleteExpiredSessions } from '@/lib/engine/access/sessions';
import { createEngine, type Engine } from '@/lib/engine/engine';
import { limitsFromEnv } from '@/lib/engine/limits';
import { registerPromMetrics } from '@/lib/engine/observability/prom-metrics';
import { collectGarbage } from '@/lib/engine/registry';
import { log } from './log';
import { expireUploads } from './uploads/expire-uploads';

const HOUSEKEEPING_INTERVAL_MS = 60 * 60 * 1000;

// Kept on globalThis so dev-mode module reloads (and the origin server's separately loaded copy
// of this module) share one engine and one database handle.
const holder = globalThis as unknown as { __torshEngine?: Engine; __torshReady?: Promise<Engine> };

function housekeeping(engine: Engine): void {
  const run = async () => {
    try {
      await collectGarbage(engine);
      deleteExpiredSessions(engine);
      pruneLoginAttempts(engine);
      await expireUploads(engine);
    } catch (err) {
      log('error', 'housekeeping failed', err);
    }
  };
  void run();
  setInterval(run, HOUSEKEEPING_INTERVAL_MS).unref();
}

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
  const engine = createEngine({ dataDir: defaultDataDir(), limits: limitsFromEnv(), blobCache: blobCacheFromEnv() });
  installEngine(engine, bootstrapAccounts(engine, process.env.TORSH_ADMIN_PASSWORD));
  registerPromMetrics(engine);
  housekeeping(engine);
  return engine;
}

/** The engine once built-in roles and the first admin (TORSH_ADMIN_PASSWORD) exist. */
export async function getReadyEngine(): Promise<Engine> {
  getEngine();
  return holder.__torshReady!;
}
