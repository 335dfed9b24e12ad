import { and, eq } from 'drizzle-orm';
import { channels, packages, versions, type PackageRow, type VersionRow } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { isValidVersion } from '../format';
import { isValidChannelName } from './channel-name';
import { checkCoordinates } from './check-coordinates';

export function findPackageRow(engine: Engine, name: string): PackageRow {
  checkCoordinates(name);
  const row = engine.db.select().from(packages).where(eq(packages.name, name)).get();
  if (!row) throw new AppError('PACKAGE_NOT_FOUND', `package "${name}" does not exist`);
  return row;
}

export function findVersionRow(engine: Engine, name: string, version: string): { pkg: PackageRow; row: VersionRow } {
  checkCoordinates(name, version);
  const pkg = findPackageRow(engine, name);
  const row = engine.db
    .select()
    .from(versions)
    .where(and(eq(versions.packageId, pkg.id), eq(versions.version, version)))
    .get();
  if (!row) throw new AppError('VERSION_NOT_FOUND', `${name}@${version} does not exist`);
  return { pkg, row };
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
  const hit = engine.db
    .select({ row: versions })
    .from(channels)
    .innerJoin(versions, eq(versions.id, channels.versionId))
    .where(and(eq(channels.packageId, pkg.id), eq(channels.name, ref)))
    .get();
  if (!hit) throw new AppError('CHANNEL_NOT_FOUND', `${name} has no channel "${ref}"`);
  return { pkg, row: hit.row };
}
