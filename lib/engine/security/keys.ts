import { and, desc, eq, isNull } from 'drizzle-orm';
import { signingKeys, users, versions, type SigningKeyRow } from '@/db/schema';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { fingerprintOf, keyIdOf, parsePublicKey, publicKeyBase64 } from './signing';

export type KeyView = {
  key_id: string;
  fingerprint: string;
  name: string;
  owner: string;
  public_key: string;
  created_at: number;
  revoked_at: number | null;
};

export const REGISTRY_OWNER = 'registry';

function toView(row: SigningKeyRow, owner: string | null): KeyView {
  return {
    key_id: row.keyId,
    fingerprint: fingerprintOf(row.publicKey),
    name: row.name,
    owner: owner ?? REGISTRY_OWNER,
    public_key: row.publicKey,
    created_at: row.createdAt,
    revoked_at: row.revokedAt,
  };
}

/** Register an Ed25519 public key for the actor's user. */
export function registerKey(engine: Engine, actor: Actor, input: { name: string; publicKey: string }): KeyView {
  if (actor.userId === null) throw new AppError('UNAUTHENTICATED', 'sign in to register signing keys');
  const key = parsePublicKey(input.publicKey);
  const keyId = keyIdOf(key);
  if (engine.db.select({ id: signingKeys.id }).from(signingKeys).where(eq(signingKeys.keyId, keyId)).get()) {
    throw new AppError('KEY_EXISTS', `the key ${keyId} is already registered`);
  }
  const row = engine.db
    .insert(signingKeys)
    .values({ keyId, userId: actor.userId, name: input.name.trim(), publicKey: publicKeyBase64(key), createdAt: Date.now() })
    .returning()
    .get();
  return toView(row, actor.name);
}

export function listKeys(engine: Engine, filter: { userId: number } | { all: true }): KeyView[] {
  const rows = engine.db
    .select({ key: signingKeys, owner: users.username })
    .from(signingKeys)
    .leftJoin(users, eq(users.id, signingKeys.userId))
    .where('userId' in filter ? eq(signingKeys.userId, filter.userId) : undefined)
    .orderBy(desc(signingKeys.createdAt), desc(signingKeys.id))
    .all();
  return rows.map((r) => toView(r.key, r.owner));
}

/** Every key the registry knows, revoked ones flagged: what `torsh download --verify` trusts. */
export function trustedKeys(engine: Engine): { key_id: string; public_key: string; owner: string; revoked: boolean }[] {
  return listKeys(engine, { all: true }).map((k) => ({ key_id: k.key_id, public_key: k.public_key, owner: k.owner, revoked: k.revoked_at !== null }));
}

export function findKey(engine: Engine, keyId: string): (SigningKeyRow & { owner: string | null }) | undefined {
  const row = engine.db
    .select({ key: signingKeys, owner: users.username })
    .from(signingKeys)
    .leftJoin(users, eq(users.id, signingKeys.userId))
    .where(eq(signingKeys.keyId, keyId))
    .get();
  return row ? { ...row.key, owner: row.owner } : undefined;
}

/**
 * Revoke a key (its owner, or a holder of ManageSecurity). Every version it signed is flagged
 * `revoked`: its signature no longer counts as verified.
 */
export function revokeKey(engine: Engine, actor: Actor, keyId: string): { flaggedVersions: number } {
  const key = findKey(engine, keyId);
  const mayManage = actor.permissions.has('ManageSecurity');
  if (!key || (key.userId !== actor.userId && !mayManage)) throw new AppError('KEY_NOT_FOUND', `key ${keyId} does not exist`);
  // It signs every browser publish; replacing it needs a rotation, not a revocation.
  if (key.userId === null) throw new AppError('FORBIDDEN', 'the registry key cannot be revoked');
  return engine.db.transaction((tx) => {
    tx.update(signingKeys).set({ revokedAt: Date.now() }).where(and(eq(signingKeys.id, key.id), isNull(signingKeys.revokedAt))).run();
    const flagged = tx.update(versions).set({ signatureStatus: 'revoked' }).where(eq(versions.signatureKeyId, keyId)).run().changes;
    return { flaggedVersions: flagged };
  });
}
