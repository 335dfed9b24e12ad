import { createEngine, type Engine } from '@/lib/engine/engine';
import { limitsFromEnv } from '@/lib/engine/limits';
import { collectGarbage } from '@/lib/engine/registry';

const GC_INTERVAL_MS = 60 * 60 * 1000;

// Kept on globalThis so dev-mode module reloads reuse one database handle.
const holder = globalThis as unknown as { __torshEngine?: Engine };

/**
 * The process-wide engine, created on first use (never at import time, so `next build`
 * needs no data dir). Data lives under TORSH_DATA_DIR (default ./data).
 */
export function getEngine(): Engine {
  if (holder.__torshEngine) return holder.__torshEngine;
  const engine = createEngine({ dataDir: process.env.TORSH_DATA_DIR || './data', limits: limitsFromEnv() });
  holder.__torshEngine = engine;
  const sweep = () =>
    collectGarbage(engine).catch((err) => console.error('garbage collection failed:', err instanceof Error ? err.message : err));
  void sweep();
  setInterval(sweep, GC_INTERVAL_MS).unref();
  return engine;
}
