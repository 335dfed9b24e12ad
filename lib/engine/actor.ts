import { PERMISSIONS, type Permission } from './access/permissions';

/** Who performs an engine operation, with the permissions resolved when the request came in. */
export type Actor = {
  kind: 'anonymous' | 'user' | 'token' | 'system';
  /** Username, or 'anonymous' / 'system'. Recorded as publisher and in the audit log. */
  name: string;
  userId: number | null;
  /** Global permissions: the user's roles, narrowed to the token's scopes for token actors. */
  permissions: ReadonlySet<Permission>;
  /** A token's scopes also bound what ownership and per-package grants allow; null otherwise. */
  scopes: ReadonlySet<Permission> | null;
  /** Holds the built-in admin role: sees private packages too. */
  isAdmin: boolean;
  tokenId?: number;
  tokenName?: string;
  sessionId?: string;
};

export const ANONYMOUS: Actor = { kind: 'anonymous', name: 'anonymous', userId: null, permissions: new Set(), scopes: null, isAdmin: false };
export const SYSTEM: Actor = { kind: 'system', name: 'system', userId: null, permissions: new Set(PERMISSIONS), scopes: null, isAdmin: true };

/** How an actor appears in the audit log (never a secret). */
export function actorLabel(actor: Actor): string {
  if (actor.kind === 'token') return `token:${actor.name}/${actor.tokenName ?? actor.tokenId}`;
  if (actor.kind === 'user') return `user:${actor.name}`;
  return actor.kind;
}
