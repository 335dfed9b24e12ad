import { and, eq, sql, type SQL } from 'drizzle-orm';
import { packageGrants, packageOwners, packages, type Visibility } from '@/db/schema';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { prepared } from '../prepared';
import { authorize } from './authorize';
import type { Permission } from './permissions';

type PackageRef = { id: number; name: string; visibility: Visibility };

const PUBLIC_READS: ReadonlySet<Permission> = new Set(['ReadMetadata', 'Download']);

function isOwner(engine: Engine, packageId: number, userId: number): boolean {
  return !!prepared(engine.db, 'is-owner', (db) =>
    db
      .select({ u: packageOwners.userId })
      .from(packageOwners)
      .where(and(eq(packageOwners.packageId, sql.placeholder('packageId')), eq(packageOwners.userId, sql.placeholder('userId'))))
      .prepare(),
  ).get({ packageId, userId });
}

export function grantsOf(engine: Engine, packageId: number, userId: number): Set<string> {
  const rows = prepared(engine.db, 'grants-of', (db) =>
    db
      .select({ p: packageGrants.permission })
      .from(packageGrants)
      .where(and(eq(packageGrants.packageId, sql.placeholder('packageId')), eq(packageGrants.userId, sql.placeholder('userId'))))
      .prepare(),
  ).all({ packageId, userId });
  return new Set(rows.map((r) => r.p));
}

/**
 * May `actor` do `permission` on this package? Check order: public read → (token scopes bound
 * everything else) → admin → owner → per-user grant (any grant also lets one read the
 * metadata) → role, which never reaches private packages.
 */
export function canOnPackage(engine: Engine, actor: Actor, permission: Permission, pkg: PackageRef): boolean {
  if (pkg.visibility === 'public' && PUBLIC_READS.has(permission)) return true;
  if (actor.scopes && !actor.scopes.has(permission)) return false;
  if (actor.isAdmin) return true;
  if (actor.userId === null) return false;
  if (isOwner(engine, pkg.id, actor.userId)) return true;
  const grants = grantsOf(engine, pkg.id, actor.userId);
  if (grants.has(permission) || (permission === 'ReadMetadata' && grants.size > 0)) return true;
  return pkg.visibility !== 'private' && actor.permissions.has(permission);
}

export function findPackageRef(engine: Engine, name: string): PackageRef | undefined {
  return prepared(engine.db, 'package-ref', (db) =>
    db.select({ id: packages.id, name: packages.name, visibility: packages.visibility }).from(packages).where(eq(packages.name, sql.placeholder('name'))).prepare(),
  ).get({ name });
}

/**
 * Authorise a package-scoped operation. Someone who may not even see the package gets 404, as
 * if it did not exist; someone who sees it but lacks the permission gets 401/403. Publishing a
 * package that does not exist yet needs the global Publish permission.
 */
export function authorizePackage(engine: Engine, actor: Actor, permission: Permission, name: string): void {
  const pkg = findPackageRef(engine, name);
  if (!pkg) {
    if (permission === 'Publish') return authorize(actor, 'Publish');
    throw new AppError('PACKAGE_NOT_FOUND', `package "${name}" does not exist`);
  }
  if (canOnPackage(engine, actor, permission, pkg)) return;
  if (!canOnPackage(engine, actor, 'ReadMetadata', pkg)) throw new AppError('PACKAGE_NOT_FOUND', `package "${name}" does not exist`);
  if (actor.kind === 'anonymous') throw new AppError('UNAUTHENTICATED', 'sign in or send a bearer token to do this');
  throw new AppError('FORBIDDEN', `${actor.name} lacks the ${permission} permission on ${name}`);
}

/** SQL condition (on the `packages` table aliased `p`) for the packages `actor` may see. */
export function visiblePackagesSql(actor: Actor): SQL {
  if (actor.isAdmin && !actor.scopes) return sql`1`;
  const parts: SQL[] = [sql`p.visibility = 'public'`];
  const scoped = actor.scopes !== null && !actor.scopes.has('ReadMetadata');
  if (actor.userId !== null && !scoped) {
    if (actor.permissions.has('ReadMetadata')) parts.push(sql`p.visibility = 'restricted'`);
    parts.push(sql`p.id IN (SELECT package_id FROM package_owners WHERE user_id = ${actor.userId})`);
    parts.push(sql`p.id IN (SELECT package_id FROM package_grants WHERE user_id = ${actor.userId})`);
  }
  return sql`(${sql.join(parts, sql` OR `)})`;
}

export function addOwnerRow(engine: Pick<Engine['db'], 'insert'>, packageId: number, userId: number): void {
  engine.insert(packageOwners).values({ packageId, userId }).onConflictDoNothing().run();
}
