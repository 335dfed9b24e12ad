import { and, eq, sql } from 'drizzle-orm';
import { channels, packages, versions, type PackageRow, type VersionRow } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { isValidVersion } from '../format';
import { prepared } from '../prepared';
import { isValidChannelName } from './channel-name';
import { checkCoordinates } from './check-coordinates';

export function findPackageRow(engine: Engine, name: string): PackageRow {
  checkCoordinates(name);
  const row = prepared(engine.db, 'package-by-name', (db) => db.select().from(packages).where(eq(packages.name, sql.placeholder('name'))).prepare()).get({ name });
  if (!row) throw new AppError('PACKAGE_NOT_FOUND', `package "${name}" does not exist`);
  return row;
}

export function findVersionRow(engine: Engine, name: string, version: string): { pkg: PackageRow; row: VersionRow } {
  checkCoordinates(name, version);
  const pkg = findPackageRow(engine, name);
  const row = prepared(engine.db, 'version-of-package', (db) =>
    db
      .select()
      .from(versions)
      .where(and(eq(versions.packageId, sql.placeholder('packageId')), eq(versions.version, sql.placeholder('version'))))
      .prepare(),
  ).get({ packageId: pkg.id, version });
  if (!row) throw new AppError('VERSION_NOT_FOUND', `${name}@${version} does not exist`);
  return { pkg, row };
}

export const alreadyPublished = (name: string, version: string) =>
  new AppError('PACKAGE_VERSION_EXISTS', `${name}@${version} is already published; versions are immutable`);

/** Refuse a name@version that is already published (PACKAGE_VERSION_EXISTS). */
export function assertUnpublished(engine: Engine, name: string, version: string): void {
  const hit = engine.db
    .select({ id: versions.id })
    .from(versions)
    .innerJoin(packages, eq(packages.id, versions.packageId))
    .where(and(eq(packages.name, name), eq(versions.version, version)))
    .get();
  if (hit) throw alreadyPublished(name, version);
}

/**
 * What a read route's `{version}` names: an exact version, `latest` (computed: the highest
 * non-yanked version) or a channel (`production`, `stable`…) pointing at one.
 */
export function resolveVersionRow(engine: Engine, name: string, ref: string): { pkg: PackageRow; row: VersionRow } {
  if (isValidVersion(ref)) return findVersionRow(engine, name, ref);
  checkCoordinates(name);
  if (ref !== 'latest' && !isValidChannelName(ref)) {
    throw new AppError('INVALID_VERSION', `"${ref}" is neither a version (e.g. 1.0.0), "latest" nor a channel name (e.g. production)`);
  }
  const pkg = findPackageRow(engine, name);
  if (ref === 'latest') {
    if (pkg.latestVersion === null) throw new AppError('VERSION_NOT_FOUND', `${name} has no latest version: every version is yanked`);
    return findVersionRow(engine, name, pkg.latestVersion);
  }
  const hit = prepared(engine.db, 'channel-version', (db) =>
    db
      .select({ row: versions })
      .from(channels)
      .innerJoin(versions, eq(versions.id, channels.versionId))
      .where(and(eq(channels.packageId, sql.placeholder('packageId')), eq(channels.name, sql.placeholder('channel'))))
      .prepare(),
  ).get({ packageId: pkg.id, channel: ref });
  if (!hit) throw new AppError('CHANNEL_NOT_FOUND', `${name} has no channel "${ref}"`);
  return { pkg, row: hit.row };
}
