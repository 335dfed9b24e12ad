import { eq } from 'drizzle-orm';
import { versions } from '@/db/schema';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { findVersionRow } from './find-version';
import { getVersion } from './get-version';
import { markReplicasYanked } from '../replication/replica-rows';
import { recordChange } from './record-change';
import { refreshPackageSummary } from './refresh-package-summary';
import type { VersionView } from './views';

/**
 * Yanked versions stay downloadable (existing lockfiles keep working) but are never `latest`.
 * Yanking twice is a no-op that keeps the first reason.
 */
export function setYanked(
  engine: Engine,
  actor: Actor,
  input: { name: string; version: string; yanked: boolean; reason?: string },
): VersionView {
  const { pkg, row } = findVersionRow(engine, input.name, input.version);
  if (row.yanked !== input.yanked) {
    const now = engine.now();
    engine.db.transaction((tx) => {
      tx.update(versions)
        .set(
          input.yanked
            ? { yanked: true, yankedAt: now, yankReason: input.reason?.trim() || null }
            : { yanked: false, yankedAt: null, yankReason: null },
        )
        .where(eq(versions.id, row.id))
        .run();
      refreshPackageSummary(tx, pkg.id, pkg.name, now);
      recordChange(
        tx,
        {
          kind: input.yanked ? 'yank' : 'unyank',
          name: pkg.name,
          version: row.version,
          digest: row.digest,
          size: row.size,
          data: input.yanked ? { reason: input.reason?.trim() || null } : undefined,
        },
        now,
      );
      markReplicasYanked(engine, tx, pkg.name, row.version, input.yanked, now);
    });
  }
  return getVersion(engine, input.name, input.version, actor);
}
