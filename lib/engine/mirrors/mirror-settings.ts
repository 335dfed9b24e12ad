import { eq } from 'drizzle-orm';
import { settings } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { mirrorCheckConfig } from './mirror-config';
import { listRegionRanges, setRegionRanges } from './region-ranges';
import { SELECTION_STRATEGIES, type SelectionStrategy } from './select-mirror';

const KEY = 'mirrors.selection';
const DEFAULT_STRATEGY: SelectionStrategy = 'priority';

/** The strategy `locations` orders mirrors by (settings key `mirrors.selection`). */
export function getSelectionStrategy(engine: Engine): SelectionStrategy {
  const row = engine.db.select().from(settings).where(eq(settings.key, KEY)).get();
  const stored = row ? (JSON.parse(row.value) as { strategy?: string }).strategy : undefined;
  return (SELECTION_STRATEGIES as readonly string[]).includes(stored ?? '') ? (stored as SelectionStrategy) : DEFAULT_STRATEGY;
}

export function setSelectionStrategy(engine: Engine, strategy: SelectionStrategy): SelectionStrategy {
  if (!(SELECTION_STRATEGIES as readonly string[]).includes(strategy)) {
    throw new AppError('INVALID_INPUT', `strategy is one of ${SELECTION_STRATEGIES.join(', ')}`, { field: 'strategy' });
  }
  const value = JSON.stringify({ strategy });
  const now = engine.now();
  engine.db
    .insert(settings)
    .values({ key: KEY, value, updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } })
    .run();
  return strategy;
}

/** The Mirrors settings: the selection strategy, the region ranges and the check thresholds (env). */
export function mirrorSettings(engine: Engine) {
  const c = mirrorCheckConfig();
  return {
    strategy: getSelectionStrategy(engine),
    strategies: SELECTION_STRATEGIES,
    region_ranges: listRegionRanges(engine),
    checks: { interval_s: c.intervalS, degraded_ms: c.degradedMs, degraded_lag: c.degradedLag, flap_threshold: c.flapThreshold, probe_timeout_ms: c.probeTimeoutMs },
  };
}

/** Change the strategy and/or replace the region ranges; the settings as they are afterwards. */
export function updateMirrorSettings(engine: Engine, input: { strategy?: SelectionStrategy; region_ranges?: { cidr: string; region: string }[] }) {
  if (input.region_ranges) setRegionRanges(engine, input.region_ranges);
  if (input.strategy) setSelectionStrategy(engine, input.strategy);
  return mirrorSettings(engine);
}
