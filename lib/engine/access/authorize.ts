import type { Actor } from '../actor';
import { AppError } from '../errors';
import { PERMISSIONS, type Permission } from './permissions';

/**
 * Permissions held by each kind of actor. Until accounts exist (the accounts issue replaces
 * this table with roles stored in the database) the registry is open: everyone holds every
 * permission, as the registry-core issue specifies.
 */
const GRANTS: Record<Actor['kind'], ReadonlySet<Permission>> = {
  anonymous: new Set(PERMISSIONS),
  user: new Set(PERMISSIONS),
  token: new Set(PERMISSIONS),
  system: new Set(PERMISSIONS),
};

export function authorize(actor: Actor, permission: Permission): void {
  if (GRANTS[actor.kind].has(permission)) return;
  if (actor.kind === 'anonymous') throw new AppError('UNAUTHENTICATED', 'sign in or send a bearer token to do this');
  throw new AppError('FORBIDDEN', `${actor.name} lacks the ${permission} permission`);
}
