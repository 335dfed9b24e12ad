import type { UserRow } from '@/db/schema';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { withSelfService, type Permission } from './permissions';
import { rolesOfUser } from './roles';

/**
 * The actor for a signed-in user, or for one of their tokens: the roles' permissions plus the
 * self-service ones every account holds, narrowed to the scopes for a scoped token.
 */
export function actorForUser(
  engine: Engine,
  user: UserRow,
  via: { sessionId: string } | { tokenId: number; tokenName: string; scopes: Permission[] | null },
): Actor {
  const { roles, permissions: granted } = rolesOfUser(engine, user.id);
  const permissions = withSelfService(granted);
  if ('sessionId' in via) {
    return { kind: 'user', name: user.username, userId: user.id, permissions, scopes: null, isAdmin: roles.includes('admin'), sessionId: via.sessionId };
  }
  const base = { kind: 'token' as const, name: user.username, userId: user.id, tokenId: via.tokenId, tokenName: via.tokenName };
  // A full-access token acts as its user; a scoped one never reaches beyond its scopes.
  if (via.scopes === null) return { ...base, permissions, scopes: null, isAdmin: roles.includes('admin') };
  const scopes = new Set(via.scopes);
  return { ...base, permissions: new Set([...permissions].filter((p) => scopes.has(p))), scopes, isAdmin: false };
}
