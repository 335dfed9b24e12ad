import type { Actor } from '../actor';
import { AppError } from '../errors';
import type { Permission } from './permissions';

/** A global permission check (the actor's roles, narrowed by token scopes). */
export function authorize(actor: Actor, permission: Permission): void {
  if (actor.permissions.has(permission)) return;
  if (actor.kind === 'anonymous') throw new AppError('UNAUTHENTICATED', 'sign in or send a bearer token to do this');
  throw new AppError('FORBIDDEN', `${actor.name} lacks the ${permission} permission`);
}
