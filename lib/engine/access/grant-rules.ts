import type { Actor } from '../actor';
import { AppError } from '../errors';
import { PERMISSIONS, type Permission } from './permissions';

type Holds = (permission: Permission) => boolean;

/** The given permissions the actor does not hold, in the canonical order. */
const lacking = (permissions: ReadonlySet<Permission>, holds: Holds) => PERMISSIONS.filter((p) => permissions.has(p) && !holds(p));

/**
 * Nobody grants what they do not hold: globally by default, or as `holds` says (on one package).
 * The actor's permissions are its effective ones: a scoped token's are already narrowed to its
 * scopes, and a scoped token never counts as an admin.
 */
export function assertHolds(actor: Actor, permissions: ReadonlySet<Permission>, what: string, holds: Holds = (p) => actor.permissions.has(p)): void {
  const missing = lacking(permissions, holds);
  if (missing.length > 0) throw new AppError('FORBIDDEN', `${what} would grant ${missing.join(', ')}, which you do not hold yourself`);
}

/** Assigning roles grants every permission they carry; the admin role also reaches private packages, so only admins grant it. */
export function assertMayAssignRoles(actor: Actor, roles: { names: string[]; permissions: ReadonlySet<Permission> }): void {
  if (roles.names.length === 0) return;
  if (roles.names.includes('admin') && !actor.isAdmin) throw new AppError('FORBIDDEN', 'only an admin can grant the admin role');
  assertHolds(actor, roles.permissions, `assigning ${roles.names.length > 1 ? 'the roles' : 'the role'} ${roles.names.map((n) => `"${n}"`).join(', ')}`);
}

/**
 * Resetting a password, disabling, enabling or changing the roles of a user: only admins touch
 * admins, and nobody touches a user holding a permission they lack (a new password hands over
 * that user's access).
 */
export function assertMayManageUser(actor: Actor, verb: string, user: { username: string; roles: string[]; permissions: ReadonlySet<Permission> }): void {
  if (user.roles.includes('admin') && !actor.isAdmin) {
    throw new AppError('FORBIDDEN', `you cannot ${verb} "${user.username}": only an admin can change an admin`);
  }
  const missing = lacking(user.permissions, (p) => actor.permissions.has(p));
  if (missing.length > 0) throw new AppError('FORBIDDEN', `you cannot ${verb} "${user.username}": they hold ${missing.join(', ')}, which you do not`);
}
