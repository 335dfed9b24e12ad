/**
 * Over real HTTP (and the server actions the pages call): a token never exceeds its scopes when it
 * mints tokens or manages keys, and a key is registered only with its signature over a challenge.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenAction, revokeTokenAction } from '@/app/(dashboard)/tokens/actions';
import { keyChallengeAction, registerKeyAction, revokeKeyAction } from '@/app/(dashboard)/keys/actions';
import { apiTokens, signingKeys } from '@/db/schema';
import { actorForUser } from '@/lib/engine/access/actor-for-user';
import { createToken } from '@/lib/engine/access/tokens';
import { getUser } from '@/lib/engine/access/users';
import { writeSamplePackage } from '@/lib/engine/format/test-support/sample-package';
import { generateSigningKey, type KeyPair } from '@/lib/engine/security/signing';
import { registerProvenKey } from '@/lib/engine/test-support/key-proof';
import { signChallenge } from '@/lib/engine/test-support/sign-challenge';
import type { CookieJar } from '../request-context';
import { SESSION_COOKIE } from '../session-cookie';
import { startApiTestServer, type ApiTestServer } from '../test-support/api-test-server';
import { rawRequest } from '../test-support/raw-request';

let t: ApiTestServer;
let alice: { id: number; token: string; session: string };
let bob: { id: number; token: string; session: string };

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const cookie = (session: string) => ({ cookie: `${SESSION_COOKIE}=${session}`, 'content-type': 'application/json' });
const jar: CookieJar = { set: () => {}, delete: () => {} };
const asBearer = (token: string) => ({ headers: new Headers(bearer(token)), cookies: jar });

/** A token of `user` limited to `scopes`, minted directly by the engine (test setup). */
const scopedToken = (user: { id: number }, scopes: string[]) =>
  createToken(t.engine, actorForUser(t.engine, getUser(t.engine, user.id), { sessionId: 'setup' }), { name: `scoped-${scopes.join('-')}`, scopes }).token;

const post = (path: string, headers: Record<string, string>, body?: unknown) =>
  fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });

async function publish(token: string, name: string): Promise<Response> {
  const bytes = await readFile(await writeSamplePackage({ name, version: '1.0.0' }));
  return fetch(`${t.url}/api/v1/packages/${name}/1.0.0`, { method: 'PUT', headers: bearer(token), body: bytes });
}

/** A signed registration body: challenge from the API as `headers`' caller, signed by `key`. */
async function provenBody(headers: Record<string, string>, key: KeyPair, name: string) {
  const res = await post('/api/v1/keys/challenge', headers);
  expect(res.status).toBe(200);
  const { challenge } = await res.json();
  return { name, public_key: key.publicKey, challenge, signature: signChallenge(key.privateKeyPem, challenge) };
}

const tokenCount = () => t.engine.db.select().from(apiTokens).all().length;
const keyCount = () => t.engine.db.select().from(signingKeys).all().length;

beforeAll(async () => {
  t = await startApiTestServer();
  alice = await t.user('alice', ['contributor']);
  bob = await t.user('bob', ['contributor']);
});

afterAll(async () => {
  await t?.close();
});

describe('a token never exceeds its scopes', () => {
  it('a Download-scoped token cannot mint a token through the server action (the reported attack)', async () => {
    const download = scopedToken(alice, ['Download']);
    const before = tokenCount();
    const res = await createTokenAction.runWith(asBearer(download), { name: 'escalate' });
    expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(tokenCount()).toBe(before);
  });

  it('a token that may mint tokens passes on its own scopes when none are given: the new token cannot publish', async () => {
    const minter = scopedToken(alice, ['Download', 'ManageOwnTokens']);
    const res = await createTokenAction.runWith(asBearer(minter), { name: 'child' });
    if (!res.ok) throw new Error(res.error.message);
    const child = res.data.token;
    const me = await (await fetch(`${t.url}/api/v1/me`, { headers: bearer(child) })).json();
    expect(me.user.permissions).toEqual(['Download', 'ManageOwnTokens']);
    const refused = await publish(child, 'escalated');
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('FORBIDDEN');
    expect((await fetch(`${t.url}/api/v1/packages/escalated`)).status).toBe(404);
  });

  it('a session mints a Publish token that really publishes', async () => {
    const res = await createTokenAction.runWith({ headers: new Headers({ cookie: `${SESSION_COOKIE}=${alice.session}` }), cookies: jar }, { name: 'ci', scopes: ['Publish'] });
    if (!res.ok) throw new Error(res.error.message);
    expect((await publish(res.data.token, 'from-ci')).status).toBe(201);
  });

  it('listing and revoking tokens need the token scope', async () => {
    const download = scopedToken(alice, ['Download']);
    const other = scopedToken(alice, ['Download']);
    const list = await fetch(`${t.url}/api/v1/tokens`, { headers: bearer(download) });
    expect(list.status).toBe(403);
    const otherId = t.engine.db.select().from(apiTokens).all().find((r) => other.includes(`_${r.publicId}_`))!.id;
    expect(await revokeTokenAction.runWith(asBearer(download), { tokenId: otherId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await fetch(`${t.url}/api/v1/me`, { headers: bearer(other) })).status).toBe(200);

    const manager = scopedToken(alice, ['ManageOwnTokens']);
    const own = await (await fetch(`${t.url}/api/v1/tokens`, { headers: bearer(manager) })).json();
    expect(new Set(own.tokens.map((x: { username: string }) => x.username))).toEqual(new Set(['alice']));
    expect(await revokeTokenAction.runWith(asBearer(manager), { tokenId: otherId })).toEqual({ ok: true, data: {} });
    expect((await fetch(`${t.url}/api/v1/me`, { headers: bearer(other) })).status).toBe(401);
  });

  it('POST /api/v1/auth/tokens: full access by default, scopes only within the user’s permissions', async () => {
    const login = { username: 'alice', password: 'test-password-1' };
    const greedy = await post('/api/v1/auth/tokens', {}, { ...login, name: 'greedy', scopes: ['ManageUsers'] });
    expect(greedy.status).toBe(403);
    const narrow = await post('/api/v1/auth/tokens', {}, { ...login, name: 'narrow', scopes: ['Download'] });
    expect(narrow.status).toBe(201);
    expect((await publish((await narrow.json()).token, 'narrow-pub')).status).toBe(403);
    const full = await post('/api/v1/auth/tokens', {}, { ...login, name: 'full' });
    expect((await publish((await full.json()).token, 'full-pub')).status).toBe(201);
  });
});

describe('keys are proven, not claimed', () => {
  it('challenge → signature → 201; the key is listed and trusted', async () => {
    const key = generateSigningKey();
    const challenge = await post('/api/v1/keys/challenge', bearer(alice.token));
    const body = await challenge.json();
    expect(body).toEqual({ challenge: expect.stringMatching(/^torsh-key-proof:alice:/), expires_at: expect.any(Number) });
    expect(body.expires_at - Date.now()).toBeGreaterThan(9 * 60 * 1000);
    const res = await post('/api/v1/keys', bearer(alice.token), {
      name: 'laptop',
      public_key: key.publicKey,
      challenge: body.challenge,
      signature: signChallenge(key.privateKeyPem, body.challenge),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ key_id: key.keyId, owner: 'alice' });
    const trusted = await (await fetch(`${t.url}/api/v1/keys/trusted`)).json();
    expect(trusted.keys).toContainEqual(expect.objectContaining({ key_id: key.keyId, owner: 'alice', revoked: false }));
  });

  it('no proof, a wrong proof, a used or someone else’s challenge: 422 with a clear code, nothing stored', async () => {
    const key = generateSigningKey();
    const before = keyCount();
    const bare = await post('/api/v1/keys', bearer(alice.token), { name: 'claimed', public_key: key.publicKey });
    expect(bare.status).toBe(422);
    expect((await bare.json()).error).toMatchObject({ code: 'KEY_PROOF_INVALID', message: expect.stringContaining('challenge') });

    const squatter = generateSigningKey();
    const forged = await provenBody(bearer(alice.token), squatter, 'claimed');
    const wrong = await post('/api/v1/keys', bearer(alice.token), { ...forged, public_key: key.publicKey });
    expect(wrong.status).toBe(422);
    expect((await wrong.json()).error.code).toBe('KEY_PROOF_INVALID');

    const bobs = await provenBody(bearer(bob.token), key, 'theirs');
    const stolen = await post('/api/v1/keys', bearer(alice.token), bobs);
    expect(stolen.status).toBe(422);
    expect((await stolen.json()).error.code).toBe('KEY_CHALLENGE_INVALID');
    expect(keyCount()).toBe(before);

    expect((await post('/api/v1/keys', bearer(bob.token), bobs)).status).toBe(201);
    const again = await post('/api/v1/keys', bearer(bob.token), { ...bobs, public_key: generateSigningKey().publicKey });
    expect(again.status).toBe(422);
    expect((await again.json()).error).toMatchObject({ code: 'KEY_CHALLENGE_INVALID', message: expect.stringContaining('used') });
  });

  it('a token without the key scope is refused before its body is read; anonymous gets 401', async () => {
    const download = scopedToken(alice, ['Download']);
    expect((await post('/api/v1/keys/challenge', bearer(download))).status).toBe(403);
    expect((await post('/api/v1/keys/challenge', {})).status).toBe(401);
    const held = await rawRequest(t.port, {
      method: 'POST',
      path: '/api/v1/keys',
      headers: { ...bearer(download), 'content-type': 'application/json', 'content-length': '100' },
    });
    expect(held.status).toBe(403);
    expect(JSON.parse(held.body).error.code).toBe('FORBIDDEN');
  });

  it('a token without the key scope cannot register or revoke keys, through the API or the page’s actions', async () => {
    const own = registerProvenKey(t.engine, actorForUser(t.engine, getUser(t.engine, alice.id), { sessionId: 's' }), generateSigningKey(), 'desk');
    const download = scopedToken(alice, ['Download']);
    expect((await fetch(`${t.url}/api/v1/keys/${own.key_id}`, { method: 'DELETE', headers: bearer(download) })).status).toBe(403);
    expect(await keyChallengeAction.runWith(asBearer(download), {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const key = generateSigningKey();
    const body = await provenBody(bearer(alice.token), key, 'ci');
    expect(await registerKeyAction.runWith(asBearer(download), body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await revokeKeyAction.runWith(asBearer(download), { keyId: own.key_id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const keys = await (await fetch(`${t.url}/api/v1/keys`, { headers: bearer(alice.token) })).json();
    expect(keys.keys.find((k: { key_id: string }) => k.key_id === own.key_id).revoked_at).toBeNull();
    expect(keys.keys.some((k: { key_id: string }) => k.key_id === key.keyId)).toBe(false);
  });

  it('a token scoped to ManageOwnKeys, and a signed-in browser, register and revoke keys', async () => {
    const keysToken = scopedToken(alice, ['ManageOwnKeys']);
    const key = generateSigningKey();
    expect((await post('/api/v1/keys', bearer(keysToken), await provenBody(bearer(keysToken), key, 'rotated'))).status).toBe(201);
    const revoked = await fetch(`${t.url}/api/v1/keys/${key.keyId}`, { method: 'DELETE', headers: bearer(keysToken) });
    expect(revoked.status).toBe(200);

    const session = { headers: new Headers({ cookie: `${SESSION_COOKIE}=${bob.session}` }), cookies: jar };
    const challenge = await keyChallengeAction.runWith(session, {});
    if (!challenge.ok) throw new Error(challenge.error.message);
    const browserKey = generateSigningKey();
    const signature = signChallenge(browserKey.privateKeyPem, challenge.data.challenge);
    const registered = await registerKeyAction.runWith(session, { name: 'browser', public_key: browserKey.publicKey, challenge: challenge.data.challenge, signature });
    expect(registered).toMatchObject({ ok: true, data: { key_id: browserKey.keyId, owner: 'bob' } });
    expect((await post('/api/v1/keys/challenge', cookie(bob.session))).status).toBe(200);
  });
});
