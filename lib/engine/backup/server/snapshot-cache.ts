import { and, count, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import { backupRepositories, backupSnapshots, type BackupSnapshotRow } from '@/db/schema';
import type { Engine } from '../../engine';
import { snapshotView, type SnapshotView } from '../snapshot-view';
import type { BackupRepository, Snapshot } from '../types';
import { repositoryRow } from './repository-rows';

/** A cached row as the view's source (the cache keeps no `source` or new chunk count). */
function toView(r: BackupSnapshotRow): SnapshotView {
  return snapshotView({
    id: r.id,
    time: r.time,
    kind: r.kind,
    host: r.host,
    tags: JSON.parse(r.tags) as string[],
    description: r.description,
    recoveryPoint: r.recoveryPointName === null ? null : { name: r.recoveryPointName, description: r.recoveryPointDescription },
    package: r.packageName === null || r.packageVersion === null ? null : { name: r.packageName, version: r.packageVersion },
    stats: { logicalBytes: r.logicalBytes, newBytes: r.newBytes, fileCount: r.fileCount, uniqueChunks: r.uniqueChunks, durationMs: r.durationMs },
  });
}

/** `only`: named recovery points alone; `exclude`: the other snapshots; absent: all. */
export type RecoveryPointFilter = 'only' | 'exclude';

/** The cached snapshots of a repository, newest first; `total` counts those the filter keeps. */
export function listSnapshotViews(
  engine: Engine,
  repositoryId: string,
  page: { limit: number; offset: number; recovery_points?: RecoveryPointFilter },
): { snapshots: SnapshotView[]; total: number } {
  repositoryRow(engine, repositoryId);
  const named = backupSnapshots.recoveryPointName;
  const where = and(
    eq(backupSnapshots.repositoryId, repositoryId),
    page.recovery_points === 'only' ? isNotNull(named) : page.recovery_points === 'exclude' ? isNull(named) : undefined,
  );
  const rows = engine.db.select().from(backupSnapshots).where(where).orderBy(desc(backupSnapshots.time), desc(backupSnapshots.id)).limit(page.limit).offset(page.offset).all();
  const total = engine.db.select({ n: count() }).from(backupSnapshots).where(where).get()?.n ?? 0;
  return { snapshots: rows.map(toView), total };
}

/** Every object's size: the repository as it takes up space (chunks, indexes, snapshots, keys). */
export async function measureStoredBytes(repo: BackupRepository): Promise<number> {
  let total = 0;
  for await (const o of repo.backend.list('')) total += o.size;
  return total;
}

/**
 * Replace the cached rows of a repository with what it holds now (one listSnapshots) and its
 * stored size, in one transaction: pages read this, never the repository.
 */
export async function refreshSnapshotCache(engine: Engine, repositoryId: string, repo: BackupRepository): Promise<{ snapshots: Snapshot[]; storedBytes: number }> {
  const snapshots = await repo.listSnapshots();
  const storedBytes = await measureStoredBytes(repo);
  engine.db.transaction((tx) => {
    // The repository may have been removed while the job ran: nothing to cache then.
    if (!tx.select({ id: backupRepositories.id }).from(backupRepositories).where(eq(backupRepositories.id, repositoryId)).get()) return;
    tx.delete(backupSnapshots).where(eq(backupSnapshots.repositoryId, repositoryId)).run();
    for (const s of snapshots) {
      tx.insert(backupSnapshots)
        .values({
          repositoryId,
          id: s.id,
          time: s.time,
          kind: s.kind,
          host: s.host,
          tags: JSON.stringify(s.tags),
          description: s.description,
          recoveryPointName: s.recoveryPoint?.name ?? null,
          recoveryPointDescription: s.recoveryPoint?.description ?? null,
          packageName: s.package?.name ?? null,
          packageVersion: s.package?.version ?? null,
          logicalBytes: s.stats.logicalBytes,
          newBytes: s.stats.newBytes,
          fileCount: s.stats.fileCount,
          uniqueChunks: s.stats.uniqueChunks,
          durationMs: Math.round(s.stats.durationMs),
        })
        .run();
    }
    tx.update(backupRepositories).set({ storedBytes }).where(eq(backupRepositories.id, repositoryId)).run();
  });
  return { snapshots, storedBytes };
}

