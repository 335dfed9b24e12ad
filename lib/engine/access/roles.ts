import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { rolePermissions, roles, userRoles, users } from '@/db/schema';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { prepared } from '../prepared';
import { assertHolds } from './grant-rules';
import { BUILT_IN_ROLES, PERMISSIONS, isPermission, type BuiltInRole, type Permission } from './permissions';

export type RoleView = {
  id: number;
  name: string;
  description: string | null;
  built_in: boolean;
  permissions: Permission[];
  user_count: number;
};

export const ROLE_NAME_RE = /^[a-z][a-z0-9_-]{1,31}$/;

function checkPermissions(list: string[]): Permission[] {
  const unknown = list.filter((p) => !isPermission(p));
  if (unknown.length > 0) throw new AppError('UNKNOWN_PERMISSION', `unknown permission${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
  return [...new Set(list)] as Permission[];
}

/** Built-in roles exist with their default permissions; admin always holds every permission. */
export function seedBuiltInRoles(engine: Engine): void {
  const now = Date.now();
  engine.db.transaction((tx) => {
    for (const [name, def] of Object.entries(BUILT_IN_ROLES) as [BuiltInRole, (typeof BUILT_IN_ROLES)[BuiltInRole]][]) {
      const existing = tx.select({ id: roles.id }).from(roles).where(eq(roles.name, name)).get();
      const id =
        existing?.id ??
        tx.insert(roles).values({ name, description: def.description, builtIn: true, createdAt: now }).returning({ id: roles.id }).get().id;
      // New roles get their defaults; admin also gains permissions added by later releases.
      if (!existing || name === 'admin') {
        tx.insert(rolePermissions)
          .values(def.permissions.map((permission) => ({ roleId: id, permission })))
          .onConflictDoNothing()
          .run();
      }
    }
  });
}

export function listRoles(engine: Engine): RoleView[] {
  const rows = engine.db.select().from(roles).orderBy(asc(roles.builtIn), asc(roles.id)).all();
  const perms = engine.db.select().from(rolePermissions).all();
  const counts = engine.db
    .select({ roleId: userRoles.roleId, n: sql<number>`count(*)` })
    .from(userRoles)
    .groupBy(userRoles.roleId)
    .all();
  const order = (p: string) => PERMISSIONS.indexOf(p as Permission);
  return rows
    .sort((a, b) => Number(b.builtIn) - Number(a.builtIn) || a.id - b.id)
    .map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      built_in: r.builtIn,
      permissions: perms
        .filter((p) => p.roleId === r.id && isPermission(p.permission))
        .map((p) => p.permission as Permission)
        .sort((a, b) => order(a) - order(b)),
      user_count: counts.find((c) => c.roleId === r.id)?.n ?? 0,
    }));
}

export function roleIdsByName(engine: Engine, names: string[]): number[] {
  if (names.length === 0) return [];
  const rows = engine.db.select({ id: roles.id, name: roles.name }).from(roles).where(inArray(roles.name, names)).all();
  const missing = names.filter((n) => !rows.some((r) => r.name === n));
  if (missing.length > 0) throw new AppError('ROLE_NOT_FOUND', `no such role: ${missing.join(', ')}`);
  return rows.map((r) => r.id);
}

/** The union of the permissions of the named roles (unknown names contribute nothing). */
export function permissionsOfRoles(engine: Engine, names: string[]): Set<Permission> {
  if (names.length === 0) return new Set();
  const rows = engine.db
    .select({ permission: rolePermissions.permission })
    .from(rolePermissions)
    .innerJoin(roles, eq(roles.id, rolePermissions.roleId))
    .where(inArray(roles.name, names))
    .all();
  return new Set(rows.map((r) => r.permission).filter(isPermission));
}

/** A role created on someone's behalf: it may carry only permissions they hold. */
export function createRoleBy(engine: Engine, actor: Actor, input: { name: string; description?: string; permissions: string[] }): { id: number } {
  assertHolds(actor, new Set(checkPermissions(input.permissions)), `the role "${input.name}"`);
  return createRole(engine, input);
}

/** No authorisation check of its own: requests go through createRoleBy. */
export function createRole(engine: Engine, input: { name: string; description?: string; permissions: string[] }): { id: number } {
  if (!ROLE_NAME_RE.test(input.name)) {
    throw new AppError('INVALID_INPUT', 'role names are 2–32 lowercase letters, digits, "_" or "-", starting with a letter');
  }
  const permissions = checkPermissions(input.permissions);
  if (engine.db.select({ id: roles.id }).from(roles).where(eq(roles.name, input.name)).get()) {
    throw new AppError('ROLE_EXISTS', `a role named "${input.name}" already exists`);
  }
  return engine.db.transaction((tx) => {
    const { id } = tx
      .insert(roles)
      .values({ name: input.name, description: input.description?.trim() || null, builtIn: false, createdAt: Date.now() })
      .returning({ id: roles.id })
      .get();
    if (permissions.length > 0) tx.insert(rolePermissions).values(permissions.map((permission) => ({ roleId: id, permission }))).run();
    return { id };
  });
}

function findRole(engine: Engine, roleId: number) {
  const role = engine.db.select().from(roles).where(eq(roles.id, roleId)).get();
  if (!role) throw new AppError('ROLE_NOT_FOUND', `role ${roleId} does not exist`);
  return role;
}

/** Edit a role; the permissions it gains must be held by the actor. */
export function updateRole(engine: Engine, actor: Actor, input: { roleId: number; description?: string; permissions: string[] }): void {
  const role = findRole(engine, input.roleId);
  const permissions = checkPermissions(input.permissions);
  if (role.name === 'admin') throw new AppError('ROLE_BUILT_IN', 'the admin role always holds every permission');
  const current = permissionsOfRoles(engine, [role.name]);
  assertHolds(actor, new Set(permissions.filter((p) => !current.has(p))), `adding to the role "${role.name}"`);
  engine.db.transaction((tx) => {
    if (input.description !== undefined) tx.update(roles).set({ description: input.description.trim() || null }).where(eq(roles.id, role.id)).run();
    tx.delete(rolePermissions).where(eq(rolePermissions.roleId, role.id)).run();
    if (permissions.length > 0) tx.insert(rolePermissions).values(permissions.map((permission) => ({ roleId: role.id, permission }))).run();
  });
}

export function deleteRole(engine: Engine, roleId: number): { name: string } {
  const role = findRole(engine, roleId);
  if (role.builtIn) throw new AppError('ROLE_BUILT_IN', `"${role.name}" is a built-in role and cannot be deleted`);
  engine.db.delete(roles).where(eq(roles.id, role.id)).run();
  return { name: role.name };
}

/** Roles and the union of their permissions for one user. */
export function rolesOfUser(engine: Engine, userId: number): { roles: string[]; permissions: Set<Permission> } {
  const rows = prepared(engine.db, 'roles-of-user', (db) =>
    db
      .select({ name: roles.name, permission: rolePermissions.permission })
      .from(userRoles)
      .innerJoin(roles, eq(roles.id, userRoles.roleId))
      .leftJoin(rolePermissions, eq(rolePermissions.roleId, roles.id))
      .where(eq(userRoles.userId, sql.placeholder('userId')))
      .prepare(),
  ).all({ userId });
  const names = [...new Set(rows.map((r) => r.name))].sort();
  const permissions = new Set(rows.map((r) => r.permission).filter((p): p is Permission => p !== null && isPermission(p)));
  return { roles: names, permissions };
}

/** Enabled users holding the admin role. */
export function countEnabledAdmins(engine: Engine, excludingUserId?: number): number {
  const admin = engine.db.select({ id: roles.id }).from(roles).where(eq(roles.name, 'admin')).get();
  if (!admin) return 0;
  const rows = engine.db
    .select({ id: users.id })
    .from(userRoles)
    .innerJoin(users, eq(users.id, userRoles.userId))
    .where(and(eq(userRoles.roleId, admin.id), eq(users.disabled, false)))
    .all();
  return rows.filter((r) => r.id !== excludingUserId).length;
}
