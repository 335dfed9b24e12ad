import { and, desc, eq, isNull } from 'drizzle-orm';
import { signingKeys, users, versions, type SigningKeyRow } from '@/db/schema';
import type { Actor } from '../actor';
import { authorize } from '../access/authorize';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { checkKeyProof, consumeKeyChallenge, type KeyProof } from './key-challenges';
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

/**
 * Register an Ed25519 public key for the actor's user (ManageOwnKeys), proven by its signature
 * over a challenge issued to that user: nobody can claim a key they do not hold. The registry's
 * own key is stored by registry-key.ts and needs no proof.
 */
export function registerKey(engine: Engine, actor: Actor, input: { name: string; publicKey: string } & KeyProof, now = Date.now()): KeyView {
  authorize(actor, 'ManageOwnKeys');
  const userId = actor.userId;
  if (userId === null) throw new AppError('UNAUTHENTICATED', 'sign in to register signing keys');
  const key = parsePublicKey(input.publicKey);
  const challengeId = checkKeyProof(engine, userId, key, input, now);
  const keyId = keyIdOf(key);
  if (engine.db.select({ id: signingKeys.id }).from(signingKeys).where(eq(signingKeys.keyId, keyId)).get()) {
    throw new AppError('KEY_EXISTS', `the key ${keyId} is already registered`);
  }
  const row = engine.db.transaction((tx) => {
    consumeKeyChallenge(tx, challengeId, userId, now);
    return tx.insert(signingKeys).values({ keyId, userId, name: input.name.trim(), publicKey: publicKeyBase64(key), createdAt: now }).returning().get();
  });
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
 * Revoke a key: one's own with ManageOwnKeys, anyone's with ManageSecurity. Every version it
 * signed is flagged `revoked`: its signature no longer counts as verified.
 */
export function revokeKey(engine: Engine, actor: Actor, keyId: string): { flaggedVersions: number } {
  const mayManageAll = actor.permissions.has('ManageSecurity');
  if (!mayManageAll) authorize(actor, 'ManageOwnKeys');
  const key = findKey(engine, keyId);
  if (!key || (key.userId !== actor.userId && !mayManageAll)) throw new AppError('KEY_NOT_FOUND', `key ${keyId} does not exist`);
  // It signs every browser publish; replacing it needs a rotation, not a revocation.
  if (key.userId === null) throw new AppError('FORBIDDEN', 'the registry key cannot be revoked');
  return engine.db.transaction((tx) => {
    tx.update(signingKeys).set({ revokedAt: Date.now() }).where(and(eq(signingKeys.id, key.id), isNull(signingKeys.revokedAt))).run();
    const flagged = tx.update(versions).set({ signatureStatus: 'revoked' }).where(eq(versions.signatureKeyId, keyId)).run().changes;
    return { flaggedVersions: flagged };
  });
}
