import { and, eq, sql } from 'drizzle-orm';
import { packages, versions, type PackageRow, type VersionRow } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { prepared } from '../prepared';
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
