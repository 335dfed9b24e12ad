import { eq } from 'drizzle-orm';
import { settings } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError } from '../errors';
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
