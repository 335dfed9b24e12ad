import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { desc, eq, sql } from 'drizzle-orm';
import { apiTokens, users, type ApiTokenRow } from '@/db/schema';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { prepared } from '../prepared';
import { actorForUser } from './actor-for-user';
import { authorize } from './authorize';
import { PERMISSIONS, isPermission, withSelfService, type Permission } from './permissions';
import { rolesOfUser } from './roles';

export type TokenView = {
  id: number;
  name: string;
  username: string;
  prefix: string;
  /** What the token may use; for a full-access token, its user's current permissions (self-service ones included). */
  scopes: Permission[];
  /** No scopes given at creation: acts with everything its user may do (ownership included). */
  full_access: boolean;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
};

const TOKEN_RE = /^torsh_([a-f0-9]{12})_([A-Za-z0-9_-]{43})$/;
const LAST_USED_EVERY_MS = 60 * 1000;

const sha256 = (s: string) => createHash('sha256').update(s).digest();

/** Stored scopes: a JSON array, or JSON null for a full-access token. */
function parseScopes(text: string): Permission[] | null {
  const raw = JSON.parse(text) as string[] | null;
  return raw === null ? null : raw.filter(isPermission);
}

const inOrder = (set: ReadonlySet<Permission>) => PERMISSIONS.filter((p) => set.has(p));

function toView(engine: Engine, row: ApiTokenRow, username: string): TokenView {
  const scopes = parseScopes(row.scopes);
  return {
    id: row.id,
    name: row.name,
    username,
    prefix: `torsh_${row.publicId}`,
    scopes: scopes ?? inOrder(withSelfService(rolesOfUser(engine, row.userId).permissions)),
    full_access: scopes === null,
    created_at: row.createdAt,
    expires_at: row.expiresAt,
    last_used_at: row.lastUsedAt,
    revoked_at: row.revokedAt,
  };
}

/**
 * A new token for the actor's own user (needs ManageOwnTokens). Its scopes may not exceed what
 * the actor may do now: a scoped token can only mint narrower tokens. Without scopes the new
 * token has the caller's: a session's or full-access token's caller gets a full-access token
 * (it acts as its user), a scoped token's caller one with the same scopes. The secret is returned
 * once; only its sha256 is stored.
 */
export function createToken(
  engine: Engine,
  actor: Actor,
  input: { name: string; scopes?: string[]; expiresInDays?: number },
): { id: number; token: string } {
  authorize(actor, 'ManageOwnTokens');
  if (actor.userId === null) throw new AppError('UNAUTHENTICATED', 'sign in to create API tokens');
  const requested = input.scopes ?? [];
  const unknown = requested.filter((s) => !isPermission(s));
  if (unknown.length > 0) throw new AppError('UNKNOWN_PERMISSION', `unknown permission: ${unknown.join(', ')}`);
  const beyond = requested.filter((s) => !actor.permissions.has(s as Permission));
  if (beyond.length > 0) throw new AppError('FORBIDDEN', `a token cannot have permissions you do not hold: ${beyond.join(', ')}`);
  const scopes = input.scopes ? inOrder(new Set(requested as Permission[])) : actor.scopes === null ? null : inOrder(actor.permissions);
  const publicId = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const now = Date.now();
  const { id } = engine.db
    .insert(apiTokens)
    .values({
      publicId,
      userId: actor.userId,
      name: input.name.trim(),
      secretHash: sha256(secret).toString('hex'),
      scopes: JSON.stringify(scopes),
      createdAt: now,
      expiresAt: input.expiresInDays ? now + input.expiresInDays * 24 * 3600 * 1000 : null,
    })
    .returning({ id: apiTokens.id })
    .get();
  return { id, token: `torsh_${publicId}_${secret}` };
}

export type TokenCheck = { ok: true; actor: Actor } | { ok: false; reason: 'malformed' | 'unknown' | 'revoked' | 'expired' | 'disabled' };

/** Authenticate a bearer token (constant-time comparison of the secret's hash). */
export function resolveToken(engine: Engine, token: string): TokenCheck {
  const m = TOKEN_RE.exec(token);
  if (!m) return { ok: false, reason: 'malformed' };
  const row = prepared(engine.db, 'token-by-public-id', (db) =>
    db.select({ token: apiTokens, user: users }).from(apiTokens).innerJoin(users, eq(users.id, apiTokens.userId)).where(eq(apiTokens.publicId, sql.placeholder('id'))).prepare(),
  ).get({ id: m[1] });
  if (!row || !timingSafeEqual(sha256(m[2]), Buffer.from(row.token.secretHash, 'hex'))) return { ok: false, reason: 'unknown' };
  if (row.token.revokedAt !== null) return { ok: false, reason: 'revoked' };
  const now = Date.now();
  if (row.token.expiresAt !== null && row.token.expiresAt <= now) return { ok: false, reason: 'expired' };
  if (row.user.disabled) return { ok: false, reason: 'disabled' };
  if (row.token.lastUsedAt === null || now - row.token.lastUsedAt > LAST_USED_EVERY_MS) {
    engine.db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.token.id)).run();
  }
  const scopes = parseScopes(row.token.scopes);
  return { ok: true, actor: actorForUser(engine, row.user, { tokenId: row.token.id, tokenName: row.token.name, scopes }) };
}

/** The actor's own tokens (ManageOwnTokens), or with `all` everyone's (ManageTokens). Secrets are never listed. */
export function listTokens(engine: Engine, actor: Actor, opts: { all: boolean }): TokenView[] {
  authorize(actor, opts.all ? 'ManageTokens' : 'ManageOwnTokens');
  const rows = engine.db
    .select({ token: apiTokens, username: users.username })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(opts.all ? undefined : eq(apiTokens.userId, actor.userId!))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
    .all();
  return rows.map((r) => toView(engine, r.token, r.username));
}

/**
 * Revoke a token: one's own with ManageOwnTokens, anyone's with ManageTokens. Someone else's
 * token is "not found" to a caller who may not manage it.
 */
export function revokeToken(engine: Engine, actor: Actor, tokenId: number): { name: string } {
  const mayManageAll = actor.permissions.has('ManageTokens');
  if (!mayManageAll) authorize(actor, 'ManageOwnTokens');
  const row = engine.db.select().from(apiTokens).where(eq(apiTokens.id, tokenId)).get();
  if (!row || (row.userId !== actor.userId && !mayManageAll)) throw new AppError('TOKEN_NOT_FOUND', `token ${tokenId} does not exist`);
  if (row.revokedAt === null) engine.db.update(apiTokens).set({ revokedAt: Date.now() }).where(eq(apiTokens.id, row.id)).run();
  return { name: row.name };
}
