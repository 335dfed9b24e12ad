import { and, asc, eq, sql } from 'drizzle-orm';
import { packageGrants, packageOwners, packages, users, type Visibility } from '@/db/schema';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { recordChange } from '../registry/record-change';
import { assertHolds } from './grant-rules';
import { canOnPackage, findPackageRef, grantsOf } from './package-access';
import { PACKAGE_PERMISSIONS, type Permission } from './permissions';
import { requireUserByUsername } from './users';

export type PackageAccessView = {
  visibility: Visibility;
  /** The package's own "require signature" setting; null follows the global policy. */
  require_signature: boolean | null;
  owners: string[];
  grants: { username: string; permissions: Permission[] }[];
};

function requirePackage(engine: Engine, name: string) {
  const pkg = findPackageRef(engine, name);
  if (!pkg) throw new AppError('PACKAGE_NOT_FOUND', `package "${name}" does not exist`);
  return pkg;
}

export function getPackageAccess(engine: Engine, name: string): PackageAccessView {
  const pkg = requirePackage(engine, name);
  const owners = engine.db
    .select({ username: users.username })
    .from(packageOwners)
    .innerJoin(users, eq(users.id, packageOwners.userId))
    .where(eq(packageOwners.packageId, pkg.id))
    .orderBy(asc(users.username))
    .all()
    .map((r) => r.username);
  const rows = engine.db
    .select({ username: users.username, permission: packageGrants.permission })
    .from(packageGrants)
    .innerJoin(users, eq(users.id, packageGrants.userId))
    .where(eq(packageGrants.packageId, pkg.id))
    .orderBy(asc(users.username))
    .all();
  const grants = new Map<string, Permission[]>();
  for (const r of rows) grants.set(r.username, [...(grants.get(r.username) ?? []), r.permission as Permission]);
  const { requireSignature } = engine.db.select({ requireSignature: packages.requireSignature }).from(packages).where(eq(packages.id, pkg.id)).get()!;
  return {
    visibility: pkg.visibility,
    require_signature: requireSignature,
    owners,
    grants: [...grants].map(([username, permissions]) => ({ username, permissions })),
  };
}

/** A change of visibility is also a row of the change feed (mirrors start or stop serving it). */
export function setVisibility(engine: Engine, input: { name: string; visibility: Visibility }): void {
  engine.db.transaction((tx) => {
    const pkg = requirePackage(engine, input.name);
    if (pkg.visibility === input.visibility) return;
    tx.update(packages).set({ visibility: input.visibility }).where(eq(packages.id, pkg.id)).run();
    recordChange(tx, { kind: 'visibility', name: pkg.name, data: { from: pkg.visibility, to: input.visibility } });
  });
}

/** Owners hold every package permission, so only someone who holds them all on the package adds one. */
export function addOwnerBy(engine: Engine, actor: Actor, input: { name: string; username: string }): void {
  const pkg = requirePackage(engine, input.name);
  assertHolds(actor, new Set(PACKAGE_PERMISSIONS), `making "${input.username}" an owner of ${pkg.name}`, (p) => canOnPackage(engine, actor, p, pkg));
  addOwner(engine, input);
}

/** No authorisation check of its own: requests go through addOwnerBy. */
export function addOwner(engine: Engine, input: { name: string; username: string }): void {
  const pkg = requirePackage(engine, input.name);
  const user = requireUserByUsername(engine, input.username);
  engine.db.insert(packageOwners).values({ packageId: pkg.id, userId: user.id }).onConflictDoNothing().run();
}

/** A package keeps at least one owner once it has had one. */
export function removeOwner(engine: Engine, input: { name: string; username: string }): void {
  const pkg = requirePackage(engine, input.name);
  const user = requireUserByUsername(engine, input.username);
  engine.db.transaction((tx) => {
    const n = tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM package_owners WHERE package_id = ${pkg.id}`).n;
    const isOwner = tx.select().from(packageOwners).where(and(eq(packageOwners.packageId, pkg.id), eq(packageOwners.userId, user.id))).get();
    if (!isOwner) return;
    if (n <= 1) throw new AppError('LAST_OWNER', `${user.username} is the last owner of ${pkg.name}; add another owner first`);
    tx.delete(packageOwners).where(and(eq(packageOwners.packageId, pkg.id), eq(packageOwners.userId, user.id))).run();
  });
}

function checkPackagePermissions(list: string[]): Permission[] {
  const allowed = new Set<string>(PACKAGE_PERMISSIONS);
  const bad = list.filter((p) => !allowed.has(p));
  if (bad.length > 0) throw new AppError('UNKNOWN_PERMISSION', `not a package permission: ${bad.join(', ')}`);
  return [...new Set(list)] as Permission[];
}

/** Replace a user's grants on a package; each permission added must be one the actor holds there. */
export function setGrantBy(engine: Engine, actor: Actor, input: { name: string; username: string; permissions: string[] }): void {
  const pkg = requirePackage(engine, input.name);
  const user = requireUserByUsername(engine, input.username);
  const current = grantsOf(engine, pkg.id, user.id);
  const added = checkPackagePermissions(input.permissions).filter((p) => !current.has(p));
  assertHolds(actor, new Set(added), `the grant to "${user.username}" on ${pkg.name}`, (p) => canOnPackage(engine, actor, p, pkg));
  setGrant(engine, input);
}

/** Replace a user's grants on a package (an empty list removes them). No authorisation check of its own: requests go through setGrantBy. */
export function setGrant(engine: Engine, input: { name: string; username: string; permissions: string[] }): void {
  const pkg = requirePackage(engine, input.name);
  const user = requireUserByUsername(engine, input.username);
  const perms = checkPackagePermissions(input.permissions);
  engine.db.transaction((tx) => {
    tx.delete(packageGrants).where(and(eq(packageGrants.packageId, pkg.id), eq(packageGrants.userId, user.id))).run();
    if (perms.length > 0) tx.insert(packageGrants).values(perms.map((permission) => ({ packageId: pkg.id, userId: user.id, permission }))).run();
  });
}
