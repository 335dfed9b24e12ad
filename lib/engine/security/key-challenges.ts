import { createHash, randomBytes, verify, type KeyObject } from 'node:crypto';
import { and, desc, eq, gt, lte, notInArray } from 'drizzle-orm';
import { keyChallenges } from '@/db/schema';
import type { Actor } from '../actor';
import { authorize } from '../access/authorize';
import type { Engine } from '../engine';
import { AppError } from '../errors';

export const KEY_CHALLENGE_TTL_MS = 10 * 60 * 1000;
/** Open challenges kept per user: asking for more drops the oldest, so nobody can fill the table. */
const OPEN_PER_USER = 10;

export type KeyChallenge = { challenge: string; expires_at: number };
export type KeyProof = { challenge?: string; signature?: string };

/** Only the hash is stored: a database reader cannot use an open challenge. */
const idOf = (challenge: string) => createHash('sha256').update(challenge, 'utf8').digest('hex');

const unknownChallenge = () =>
  new AppError('KEY_CHALLENGE_INVALID', 'this challenge is unknown or has already been used: ask for a new one and sign that');

/**
 * A single-use challenge (10 minutes) for registering a signing key: the caller signs its text
 * with the key, proving they hold the private half. It names the account, so whoever is asked to
 * sign it sees whose account the key would join.
 */
export function issueKeyChallenge(engine: Engine, actor: Actor, now = Date.now()): KeyChallenge {
  authorize(actor, 'ManageOwnKeys');
  const userId = actor.userId;
  if (userId === null) throw new AppError('UNAUTHENTICATED', 'sign in to register signing keys');
  const challenge = `torsh-key-proof:${actor.name}:${randomBytes(24).toString('base64url')}`;
  const expiresAt = now + KEY_CHALLENGE_TTL_MS;
  engine.db.transaction((tx) => {
    tx.delete(keyChallenges).where(lte(keyChallenges.expiresAt, now)).run();
    const kept = tx
      .select({ id: keyChallenges.id })
      .from(keyChallenges)
      .where(eq(keyChallenges.userId, userId))
      .orderBy(desc(keyChallenges.createdAt))
      .limit(OPEN_PER_USER - 1)
      .all()
      .map((r) => r.id);
    tx.delete(keyChallenges).where(and(eq(keyChallenges.userId, userId), notInArray(keyChallenges.id, kept))).run();
    tx.insert(keyChallenges).values({ id: idOf(challenge), userId, createdAt: now, expiresAt }).run();
  });
  return { challenge, expires_at: expiresAt };
}

/**
 * Is `proof.signature` the key's Ed25519 signature over the UTF-8 text of an open challenge that
 * was issued to this user? Returns the challenge's id, for consumeKeyChallenge.
 */
export function checkKeyProof(engine: Engine, userId: number, key: KeyObject, proof: KeyProof, now: number): string {
  if (!proof.challenge || !proof.signature) {
    throw new AppError(
      'KEY_PROOF_INVALID',
      'registering a key needs proof that you hold its private key: sign a challenge from POST /api/v1/keys/challenge with it (torsh keys prove) and send "challenge" and "signature"',
    );
  }
  const id = idOf(proof.challenge);
  // Another user's challenge is as unknown as a made-up one.
  const row = engine.db
    .select()
    .from(keyChallenges)
    .where(and(eq(keyChallenges.id, id), eq(keyChallenges.userId, userId)))
    .get();
  if (!row) throw unknownChallenge();
  if (row.expiresAt <= now) throw new AppError('KEY_CHALLENGE_INVALID', 'this challenge has expired (they are valid for 10 minutes): ask for a new one and sign that');
  const signature = Buffer.from(proof.signature, 'base64');
  if (signature.length !== 64 || !verify(null, Buffer.from(proof.challenge, 'utf8'), key, signature)) {
    throw new AppError(
      'KEY_PROOF_INVALID',
      'the signature does not verify with this public key: sign the exact challenge text (no trailing newline) with its private key and send the signature in base64',
    );
  }
  return id;
}

/** Use the challenge up, inside the transaction that stores the key; refused when it was used meanwhile. */
export function consumeKeyChallenge(db: Pick<Engine['db'], 'delete'>, id: string, userId: number, now: number): void {
  const used = db
    .delete(keyChallenges)
    .where(and(eq(keyChallenges.id, id), eq(keyChallenges.userId, userId), gt(keyChallenges.expiresAt, now)))
    .run();
  if (used.changes !== 1) throw unknownChallenge();
}
