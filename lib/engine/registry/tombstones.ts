import { and, eq } from 'drizzle-orm';
import { tombstones } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError } from '../errors';

function tombstonedError(name: string, version: string, deletedAt: number): AppError {
  const day = new Date(deletedAt).toISOString().slice(0, 10);
  return new AppError('VERSION_TOMBSTONED', `${name}@${version} was deleted on ${day}; published versions are never reused`);
}

/**
 * npm's rule: a deleted name@version is never published again, with other bytes or the same,
 * so a lockfile naming it can never be served something else. (A trigger in the database holds
 * the same rule for every insert; this check gives the clear error before any byte is read.)
 */
export function assertNotTombstoned(engine: Engine, name: string, version: string): void {
  const hit = engine.db
    .select({ deletedAt: tombstones.deletedAt })
    .from(tombstones)
    .where(and(eq(tombstones.packageName, name), eq(tombstones.version, version)))
    .get();
  if (hit) throw tombstonedError(name, version, hit.deletedAt);
}
