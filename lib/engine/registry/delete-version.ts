import { eq, sql } from 'drizzle-orm';
import semver from 'semver';
import type { Db } from '@/db';
import { channelHistory, channels, packages, tombstones, versions, type PackageRow, type VersionRow } from '@/db/schema';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { findPackageRow, findVersionRow } from './find-version';
import { markReplicasDeleting } from '../replication/replica-rows';
import { recordChange } from './record-change';
import { refreshPackageSummary } from './refresh-package-summary';
import type { DeletedPackage, DeletedVersion } from './views';

type Tx = Pick<Db, 'select' | 'insert' | 'delete' | 'update'>;

/**
 * Tombstone a version, note it in the change feed and remove its row (its resources, download
 * events and channels follow by cascade). Its blob is left to garbage collection, which removes
 * it once no version references the digest.
 */
function removeVersion(engine: Engine, tx: Tx, actor: Actor, pkg: PackageRow, row: VersionRow, now: number, wholePackage: boolean): void {
  if (!wholePackage) {
    // The channels pointing at it go with it (cascade); their history says so.
    const pointing = tx.select({ name: channels.name }).from(channels).where(eq(channels.versionId, row.id)).all();
    for (const c of pointing) {
      tx.insert(channelHistory).values({ packageId: pkg.id, channel: c.name, fromVersion: row.version, toVersion: null, movedAt: now, movedBy: actor.name }).run();
      recordChange(tx, { kind: 'channel', name: pkg.name, data: { channel: c.name, from: row.version, to: null, reason: 'version deleted' } }, now);
    }
  }
  tx.insert(tombstones).values({ packageName: pkg.name, version: row.version, digest: row.digest, deletedAt: now, deletedBy: actor.name }).run();
  recordChange(
    tx,
    { kind: 'delete', name: pkg.name, version: row.version, digest: row.digest, size: row.size, data: { visibility: pkg.visibility, package_deleted: wholePackage } },
    now,
  );
  tx.delete(versions).where(eq(versions.id, row.id)).run();
  markReplicasDeleting(engine, tx, pkg.name, row.version, now);
}

/** Delete one version: it disappears, and name@version can never be published again. */
export function deleteVersion(engine: Engine, actor: Actor, input: { name: string; version: string }): DeletedVersion {
  const now = engine.now();
  engine.db.transaction((tx) => {
    const { pkg, row } = findVersionRow(engine, input.name, input.version);
    removeVersion(engine, tx, actor, pkg, row, now, false);
    refreshPackageSummary(tx, pkg.id, pkg.name, now);
  });
  return { name: input.name, version: input.version, deleted: true };
}

/** Delete every version and the package itself (owners, grants, channels and settings with it). */
export function deletePackage(engine: Engine, actor: Actor, name: string): DeletedPackage {
  const now = engine.now();
  return engine.db.transaction((tx) => {
    const pkg = findPackageRow(engine, name);
    const rows = tx.select().from(versions).where(eq(versions.packageId, pkg.id)).all();
    rows.sort((a, b) => semver.compare(a.version, b.version));
    for (const row of rows) removeVersion(engine, tx, actor, pkg, row, now, true);
    tx.delete(packages).where(eq(packages.id, pkg.id)).run();
    tx.run(sql`DELETE FROM packages_fts WHERE rowid = ${pkg.id}`);
    return { name: pkg.name, deleted_versions: rows.map((r) => r.version) };
  });
}
