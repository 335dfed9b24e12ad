/** Keys are proven, not claimed: registering a key needs its signature over a challenge issued to the caller. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyChallenges, signingKeys } from '@/db/schema';
import { actorForUser } from '../access/actor-for-user';
import { bootstrapAccounts } from '../access/bootstrap';
import { createToken, resolveToken } from '../access/tokens';
import { createUser, getUser } from '../access/users';
import { ANONYMOUS, type Actor } from '../actor';
import { registerProvenKey } from '../test-support/key-proof';
import { signChallenge } from '../test-support/sign-challenge';
import { tempEngine } from '../test-support/temp-engine';
import { issueKeyChallenge, KEY_CHALLENGE_TTL_MS } from './key-challenges';
import { listKeys, registerKey, revokeKey } from './keys';
import { registryKey } from './registry-key';
import { generateSigningKey } from './signing';

type TestEngine = Awaited<ReturnType<typeof tempEngine>>;

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('key proofs', () => {
  let engine: TestEngine;
  let alice: Actor;
  let bob: Actor;
  const session = async (username: string, roles: string[]) => {
    const { id } = await createUser(engine, { username, email: `${username}@x.test`, password: 'long-password-1', roles });
    return actorForUser(engine, getUser(engine, id), { sessionId: 's' });
  };
  const tokenActor = (owner: Actor, scopes: string[]) => {
    const r = resolveToken(engine, createToken(engine, owner, { name: 't', scopes }).token);
    if (!r.ok) throw new Error(r.reason);
    return r.actor;
  };
  const storedKeys = () => engine.db.select().from(signingKeys).all();
  const openChallenges = () => engine.db.select().from(keyChallenges).all();
  const code = (code: string, message?: string) => expect.objectContaining({ code, ...(message ? { message: expect.stringContaining(message) } : {}) });

  beforeEach(async () => {
    engine = await tempEngine();
    await bootstrapAccounts(engine, undefined);
    alice = await session('alice', ['contributor']);
    bob = await session('bob', ['contributor']);
  });
  afterEach(async () => {
    await engine.cleanup();
  });

  it('a challenge names the account, lasts 10 minutes and is stored only as its hash', () => {
    const now = 1_000_000;
    const { challenge, expires_at } = issueKeyChallenge(engine, alice, now);
    expect(challenge).toMatch(/^torsh-key-proof:alice:[A-Za-z0-9_-]{32}$/);
    expect(expires_at).toBe(now + KEY_CHALLENGE_TTL_MS);
    expect(KEY_CHALLENGE_TTL_MS).toBe(10 * 60 * 1000);
    const rows = openChallenges();
    expect(rows).toEqual([{ id: expect.stringMatching(/^[a-f0-9]{64}$/), userId: alice.userId, createdAt: now, expiresAt: expires_at }]);
    expect(JSON.stringify(rows)).not.toContain(challenge.split(':')[2]);
  });

  it('a key signed over the challenge is registered, and the challenge is used up', () => {
    const key = generateSigningKey();
    const view = registerProvenKey(engine, alice, key, 'laptop');
    expect(view).toMatchObject({ key_id: key.keyId, owner: 'alice', name: 'laptop', revoked_at: null });
    expect(listKeys(engine, { userId: alice.userId! }).map((k) => k.key_id)).toEqual([key.keyId]);
    expect(openChallenges()).toEqual([]);
  });

  it('without a proof, with a wrong one, or with a key the caller does not hold: refused and nothing stored', () => {
    const key = generateSigningKey();
    const { challenge } = issueKeyChallenge(engine, alice);
    const base = { name: 'k', publicKey: key.publicKey };
    expect(() => registerKey(engine, alice, base)).toThrowError(code('KEY_PROOF_INVALID', 'POST /api/v1/keys/challenge'));
    expect(() => registerKey(engine, alice, { ...base, challenge })).toThrowError(code('KEY_PROOF_INVALID'));
    // Squatting: Alice claims Bob's public key, signing with a key of her own.
    const own = generateSigningKey();
    expect(() => registerKey(engine, alice, { ...base, challenge, signature: signChallenge(own.privateKeyPem, challenge) })).toThrowError(
      code('KEY_PROOF_INVALID', 'does not verify'),
    );
    expect(() => registerKey(engine, alice, { ...base, challenge, signature: signChallenge(key.privateKeyPem, `${challenge}\n`) })).toThrowError(
      code('KEY_PROOF_INVALID'),
    );
    expect(() => registerKey(engine, alice, { ...base, challenge, signature: 'not base64 at all!' })).toThrowError(code('KEY_PROOF_INVALID'));
    expect(storedKeys()).toEqual([]);
    // A failed attempt does not use the challenge up: the right signature still registers.
    expect(registerKey(engine, alice, { ...base, challenge, signature: signChallenge(key.privateKeyPem, challenge) }).key_id).toBe(key.keyId);
  });

  it('a challenge is single use, belongs to the user it was issued to, and expires after 10 minutes', () => {
    const now = 5_000_000;
    const prove = (actor: Actor, challenge: string, at: number) => {
      const key = generateSigningKey();
      return () => registerKey(engine, actor, { name: 'k', publicKey: key.publicKey, challenge, signature: signChallenge(key.privateKeyPem, challenge) }, at);
    };
    const used = issueKeyChallenge(engine, alice, now).challenge;
    prove(alice, used, now)();
    expect(prove(alice, used, now)).toThrowError(code('KEY_CHALLENGE_INVALID', 'already been used'));

    const bobs = issueKeyChallenge(engine, bob, now).challenge;
    expect(prove(alice, bobs, now)).toThrowError(code('KEY_CHALLENGE_INVALID', 'unknown'));

    const late = issueKeyChallenge(engine, alice, now).challenge;
    expect(prove(alice, late, now + KEY_CHALLENGE_TTL_MS)).toThrowError(code('KEY_CHALLENGE_INVALID', 'expired'));
    expect(storedKeys()).toHaveLength(1);
    const inTime = issueKeyChallenge(engine, alice, now).challenge;
    expect(prove(alice, inTime, now + KEY_CHALLENGE_TTL_MS - 1)().owner).toBe('alice');
  });

  it('open challenges are bounded: expired ones are dropped and a user keeps at most 10', () => {
    issueKeyChallenge(engine, bob, 0);
    const first = issueKeyChallenge(engine, alice, 1).challenge;
    for (let i = 2; i <= 12; i++) issueKeyChallenge(engine, alice, i);
    expect(openChallenges().filter((c) => c.userId === alice.userId)).toHaveLength(10);
    const key = generateSigningKey();
    const sign = { name: 'k', publicKey: key.publicKey, challenge: first, signature: signChallenge(key.privateKeyPem, first) };
    expect(() => registerKey(engine, alice, sign, 20)).toThrowError(code('KEY_CHALLENGE_INVALID'));
    issueKeyChallenge(engine, alice, KEY_CHALLENGE_TTL_MS + 1);
    expect(openChallenges().filter((c) => c.userId === bob.userId)).toEqual([]);
  });

  it('a scoped token needs ManageOwnKeys to ask for a challenge, register or revoke a key; the owner’s session always may', () => {
    const key = generateSigningKey();
    const own = registerProvenKey(engine, alice, key, 'laptop');
    const download = tokenActor(alice, ['Download']);
    expect(() => issueKeyChallenge(engine, download)).toThrowError(code('FORBIDDEN'));
    expect(() => registerProvenKey(engine, download, generateSigningKey(), 'ci')).toThrowError(code('FORBIDDEN'));
    expect(() => revokeKey(engine, download, own.key_id)).toThrowError(code('FORBIDDEN'));
    expect(() => issueKeyChallenge(engine, ANONYMOUS)).toThrowError(code('UNAUTHENTICATED'));
    expect(storedKeys()).toHaveLength(1);

    const keys = tokenActor(alice, ['ManageOwnKeys']);
    expect(registerProvenKey(engine, keys, generateSigningKey(), 'ci').owner).toBe('alice');
    expect(() => revokeKey(engine, keys, registerProvenKey(engine, bob, generateSigningKey(), 'bobs').key_id)).toThrowError(code('KEY_NOT_FOUND'));
    expect(revokeKey(engine, keys, own.key_id)).toEqual({ flaggedVersions: 0 });
  });

  it('ManageSecurity revokes anyone’s key, also through a token scoped to it', async () => {
    const root = await session('root', ['admin']);
    const bobs = registerProvenKey(engine, bob, generateSigningKey(), 'bobs');
    expect(() => revokeKey(engine, tokenActor(root, ['Download']), bobs.key_id)).toThrowError(code('FORBIDDEN'));
    revokeKey(engine, tokenActor(root, ['ManageSecurity']), bobs.key_id);
    expect(listKeys(engine, { userId: bob.userId! })[0].revoked_at).toBeTypeOf('number');
  });

  it('the registry’s own key is created by the server without a proof', async () => {
    const { keyId } = await registryKey(engine);
    expect(listKeys(engine, { all: true })).toEqual([expect.objectContaining({ key_id: keyId, owner: 'registry' })]);
  });

  it.skipIf(!hasOpenssl)('a signature made with the documented openssl command is accepted', async () => {
    const key = generateSigningKey();
    const { challenge } = issueKeyChallenge(engine, alice);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-proof-'));
    try {
      await writeFile(path.join(dir, 'key.pem'), key.privateKeyPem, { mode: 0o600 });
      const signature = execFileSync(
        'sh',
        ['-c', `printf %s "$CHALLENGE" > challenge.txt && openssl pkeyutl -sign -inkey key.pem -rawin -in challenge.txt | base64 -w0`],
        { cwd: dir, env: { ...process.env, CHALLENGE: challenge }, encoding: 'utf8' },
      );
      expect(registerKey(engine, alice, { name: 'openssl', publicKey: key.publicKey, challenge, signature }).key_id).toBe(key.keyId);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
