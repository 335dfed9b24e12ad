/** A token never exceeds its scopes: minting, listing and revoking tokens included. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiTokens } from '@/db/schema';
import { ANONYMOUS, type Actor } from '../actor';
import { tempEngine } from '../test-support/temp-engine';
import { actorForUser } from './actor-for-user';
import { authorize } from './authorize';
import { bootstrapAccounts } from './bootstrap';
import { issueTokenForCredentials } from './issue-token';
import { createToken, listTokens, resolveToken, revokeToken } from './tokens';
import { createUser, getUser } from './users';

type TestEngine = Awaited<ReturnType<typeof tempEngine>>;
const PW = 'correct horse battery';

describe('token scopes bound what a token does with tokens', () => {
  let engine: TestEngine;
  let alice: Actor;
  let bob: Actor;
  let root: Actor;
  const session = async (username: string, roles: string[]) => {
    const { id } = await createUser(engine, { username, email: `${username}@x.test`, password: PW, roles });
    return actorForUser(engine, getUser(engine, id), { sessionId: 'test' });
  };
  /** The actor a bearer token of `owner` with these scopes (undefined: full access) authenticates as. */
  const tokenActor = (owner: Actor, scopes?: string[]) => asToken(createToken(engine, owner, { name: 't', scopes }).token);
  const asToken = (token: string) => {
    const r = resolveToken(engine, token);
    if (!r.ok) throw new Error(`token did not resolve: ${r.reason}`);
    return r.actor;
  };
  const storedScopes = (id: number) => JSON.parse(engine.db.select().from(apiTokens).all().find((t) => t.id === id)!.scopes);

  beforeEach(async () => {
    engine = await tempEngine();
    await bootstrapAccounts(engine, undefined);
    alice = await session('alice', ['contributor']);
    bob = await session('bob', ['contributor']);
    root = await session('root', ['admin']);
  });
  afterEach(async () => {
    await engine.cleanup();
  });

  it('a Download-scoped token cannot mint a token at all, with or without scopes', () => {
    const download = tokenActor(alice, ['Download']);
    const before = engine.db.select().from(apiTokens).all().length;
    expect(() => createToken(engine, download, { name: 'escalate' })).toThrowError(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => createToken(engine, download, { name: 'escalate', scopes: ['Publish'] })).toThrowError(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(engine.db.select().from(apiTokens).all().length).toBe(before);
  });

  it('a token with ManageOwnTokens mints only tokens within its own scopes; omitted scopes mean its scopes, not everything', () => {
    const minter = tokenActor(alice, ['Download', 'ManageOwnTokens']);
    const child = createToken(engine, minter, { name: 'child' });
    expect(storedScopes(child.id)).toEqual(['Download', 'ManageOwnTokens']);
    const childActor = asToken(child.token);
    expect([...childActor.permissions].sort()).toEqual(['Download', 'ManageOwnTokens']);
    expect(() => authorize(childActor, 'Publish')).toThrowError(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => createToken(engine, minter, { name: 'wider', scopes: ['Download', 'Publish'] })).toThrowError(
      expect.objectContaining({ code: 'FORBIDDEN', message: expect.stringContaining('Publish') }),
    );
    expect(storedScopes(createToken(engine, minter, { name: 'narrower', scopes: ['Download'] }).id)).toEqual(['Download']);
  });

  it('omitted scopes follow the caller: a session or a full-access token mints a full-access token', () => {
    const fromSession = createToken(engine, alice, { name: 'cli' });
    expect(storedScopes(fromSession.id)).toBeNull();
    const full = asToken(fromSession.token);
    expect(full.scopes).toBeNull();
    expect(full.permissions.has('Publish')).toBe(true);
    expect(storedScopes(createToken(engine, full, { name: 'again' }).id)).toBeNull();
    expect(listTokens(engine, alice, { all: false }).find((t) => t.id === fromSession.id)).toMatchObject({
      full_access: true,
      scopes: ['ReadMetadata', 'Download', 'Publish', 'ViewStats', 'ManageOwnTokens', 'ManageOwnKeys'],
    });
  });

  it('every account holds the self-service permissions, even without a role; scopes may name them', async () => {
    const nobody = await session('nobody', []);
    expect([...nobody.permissions].sort()).toEqual(['ManageOwnKeys', 'ManageOwnTokens']);
    const t = createToken(engine, nobody, { name: 'keys-only', scopes: ['ManageOwnKeys'] });
    expect([...asToken(t.token).permissions]).toEqual(['ManageOwnKeys']);
    expect(() => createToken(engine, ANONYMOUS, { name: 'anon' })).toThrowError(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
  });

  it('listing and revoking tokens needs ManageOwnTokens (own) or ManageTokens (anyone’s)', () => {
    const aliceCi = createToken(engine, alice, { name: 'ci', scopes: ['Download'] });
    const bobCi = createToken(engine, bob, { name: 'ci', scopes: ['Download'] });
    const download = asToken(aliceCi.token);
    expect(() => listTokens(engine, download, { all: false })).toThrowError(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => revokeToken(engine, download, aliceCi.id)).toThrowError(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => revokeToken(engine, download, bobCi.id)).toThrowError(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(resolveToken(engine, bobCi.token).ok).toBe(true);

    const manager = tokenActor(alice, ['ManageOwnTokens']);
    expect(listTokens(engine, manager, { all: false }).map((t) => t.username)).toEqual(['alice', 'alice']);
    expect(() => listTokens(engine, manager, { all: true })).toThrowError(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => revokeToken(engine, manager, bobCi.id)).toThrowError(expect.objectContaining({ code: 'TOKEN_NOT_FOUND' }));
    expect(revokeToken(engine, manager, aliceCi.id)).toEqual({ name: 'ci' });
    expect(resolveToken(engine, aliceCi.token)).toEqual({ ok: false, reason: 'revoked' });

    // An admin's token scoped to ManageTokens manages everyone's; the admin's Download-only token does not.
    expect(() => revokeToken(engine, tokenActor(root, ['Download']), bobCi.id)).toThrowError(expect.objectContaining({ code: 'FORBIDDEN' }));
    const admin = tokenActor(root, ['ManageTokens']);
    expect(listTokens(engine, admin, { all: true }).some((t) => t.username === 'bob')).toBe(true);
    revokeToken(engine, admin, bobCi.id);
    expect(resolveToken(engine, bobCi.token)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('username + password mints a full-access token by default; its scopes stay within the user’s permissions', async () => {
    const login = { username: 'alice', password: PW, clientAddr: null };
    const full = await issueTokenForCredentials(engine, { ...login, name: 'cli' });
    expect(storedScopes(full.id)).toBeNull();
    await expect(issueTokenForCredentials(engine, { ...login, name: 'greedy', scopes: ['ManageUsers'] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const scoped = await issueTokenForCredentials(engine, { ...login, name: 'ci', scopes: ['Publish', 'ManageOwnKeys'] });
    expect([...asToken(scoped.token).permissions].sort()).toEqual(['ManageOwnKeys', 'Publish']);
  });
});
