import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiTokens } from '@/db/schema';
import { ANONYMOUS, SYSTEM, type Actor } from '../actor';
import { writeSamplePackage } from '../format/test-support/sample-package';
import { getStats, publishVersion, searchPackages } from '../registry';
import { tempEngine } from '../test-support/temp-engine';
import { actorForUser } from './actor-for-user';
import { bootstrapAccounts, setupFirstAdmin } from './bootstrap';
import { checkCredentials, MAX_FAILURES_PER_ACCOUNT } from './login';
import { addOwner, getPackageAccess, removeOwner, setGrant, setVisibility } from './manage-package-access';
import { authorizePackage } from './package-access';
import { hashPassword, verifyPassword } from './password';
import { createRole, deleteRole, listRoles, updateRole } from './roles';
import { createSession, resolveSession, revokeSession } from './sessions';
import { createToken, resolveToken, revokeToken } from './tokens';
import { countUsers, createUser, getUser, requireUserByUsername, resetPassword, setUserDisabled, setUserRoles } from './users';

type TestEngine = Awaited<ReturnType<typeof tempEngine>>;
const PW = 'correct horse battery';

async function userActor(engine: TestEngine, username: string, roles: string[]): Promise<Actor> {
  const { id } = await createUser(engine, { username, email: `${username}@example.test`, password: PW, roles });
  return actorForUser(engine, getUser(engine, id), { sessionId: 'test' });
}

async function publishAs(engine: TestEngine, actor: Actor, name: string, version = '1.0.0') {
  const file = await writeSamplePackage({ name, version });
  return publishVersion(engine, actor, { name, version, source: { kind: 'stream', body: createReadStream(file), contentLength: (await stat(file)).size } });
}

describe('accounts and access', () => {
  let engine: TestEngine;
  beforeEach(async () => {
    engine = await tempEngine();
    await bootstrapAccounts(engine, undefined);
  });
  afterEach(async () => {
    await engine.cleanup();
  });

  it('hashes passwords with scrypt and verifies them', async () => {
    const stored = await hashPassword('s3cret-password');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(stored).not.toContain('s3cret');
    expect(await verifyPassword('s3cret-password', stored)).toBe(true);
    expect(await verifyPassword('wrong-password', stored)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });

  it('seeds the built-in roles; admin holds every permission', () => {
    const roles = listRoles(engine);
    expect(roles.map((r) => r.name)).toEqual(['admin', 'maintainer', 'contributor', 'viewer']);
    expect(roles.every((r) => r.built_in)).toBe(true);
    expect(roles[0].permissions).toContain('ViewAudit');
    expect(roles.find((r) => r.name === 'viewer')!.permissions).toEqual(['ReadMetadata', 'Download', 'ViewStats']);
  });

  it('creates the first admin from TORSH_ADMIN_PASSWORD once, and setup only while no user exists', async () => {
    const fresh = await tempEngine();
    try {
      await bootstrapAccounts(fresh, 'first-admin-pass');
      await bootstrapAccounts(fresh, 'another-password');
      const admin = await checkCredentials(fresh, { username: 'admin', password: 'first-admin-pass', clientAddr: null });
      expect(admin.username).toBe('admin');
      await expect(setupFirstAdmin(fresh, { username: 'root', email: 'r@x.test', password: 'long-enough-pw' })).rejects.toMatchObject({ code: 'SETUP_DONE' });
    } finally {
      await fresh.cleanup();
    }
    const { id } = await setupFirstAdmin(engine, { username: 'root', email: 'r@x.test', password: 'long-enough-pw' });
    expect(getUser(engine, id).username).toBe('root');
    await expect(setupFirstAdmin(engine, { username: 'two', email: 't@x.test', password: 'long-enough-pw' })).rejects.toMatchObject({ code: 'SETUP_DONE' });
  });

  it('reserves the names shown for the registry key and the anonymous and system actors', async () => {
    const fresh = await tempEngine();
    try {
      await bootstrapAccounts(fresh, undefined);
      for (const username of ['registry', 'system', 'anonymous', 'Registry']) {
        await expect(setupFirstAdmin(fresh, { username, email: `${username}@x.test`, password: PW })).rejects.toMatchObject({
          code: 'INVALID_INPUT',
          message: `the username "${username.toLowerCase()}" is reserved`,
        });
      }
      expect(countUsers(fresh)).toBe(0);
      await bootstrapAccounts(fresh, 'first-admin-pass');
      await expect(createUser(fresh, { username: 'registry', email: 'r@x.test', password: PW, roles: ['viewer'] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(countUsers(fresh)).toBe(1);
      expect((await createUser(fresh, { username: 'registry-bot', email: 'rb@x.test', password: PW, roles: [] })).id).toBeTypeOf('number');
    } finally {
      await fresh.cleanup();
    }
  });

  it('gives one generic error for unknown users, wrong passwords and disabled users, and rate-limits per account', async () => {
    await createUser(engine, { username: 'alice', email: 'a@x.test', password: PW, roles: ['viewer'] });
    const generic = { code: 'INVALID_CREDENTIALS', message: 'Invalid username or password.' };
    await expect(checkCredentials(engine, { username: 'nobody', password: PW, clientAddr: '10.0.0.1' })).rejects.toMatchObject(generic);
    await expect(checkCredentials(engine, { username: 'alice', password: 'nope', clientAddr: '10.0.0.1' })).rejects.toMatchObject(generic);
    for (let i = 1; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      await expect(checkCredentials(engine, { username: 'alice', password: 'nope', clientAddr: `10.0.1.${i}` })).rejects.toMatchObject(generic);
    }
    // The account is now locked for the window, even with the right password, from any address.
    await expect(checkCredentials(engine, { username: 'alice', password: PW, clientAddr: '10.9.9.9' })).rejects.toMatchObject({ code: 'RATE_LIMITED' });

    const bob = await createUser(engine, { username: 'bob', email: 'b@x.test', password: PW, roles: ['viewer'] });
    await userActor(engine, 'carol', ['admin']);
    setUserDisabled(engine, SYSTEM, { userId: bob.id, disabled: true });
    await expect(checkCredentials(engine, { username: 'bob', password: PW, clientAddr: null })).rejects.toMatchObject(generic);
  });

  it('rate-limits per address across accounts', async () => {
    for (let i = 0; i < 20; i++) {
      await expect(checkCredentials(engine, { username: `u${i}`, password: 'x', clientAddr: '192.0.2.7' })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    }
    await expect(checkCredentials(engine, { username: 'fresh', password: 'x', clientAddr: '192.0.2.7' })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('sessions resolve, slide, end on revoke, on disable and on password reset', async () => {
    const { id } = await createUser(engine, { username: 'dave', email: 'd@x.test', password: PW, roles: ['contributor'] });
    await userActor(engine, 'root', ['admin']);
    const s1 = createSession(engine, id, { clientAddr: null, userAgent: null });
    expect(resolveSession(engine, s1.token)).toMatchObject({ kind: 'user', name: 'dave', userId: id });
    expect(resolveSession(engine, 'x'.repeat(43))).toBeNull();
    revokeSession(engine, s1.token);
    expect(resolveSession(engine, s1.token)).toBeNull();

    const s2 = createSession(engine, id, { clientAddr: null, userAgent: null });
    setUserDisabled(engine, SYSTEM, { userId: id, disabled: true });
    expect(resolveSession(engine, s2.token)).toBeNull();
    setUserDisabled(engine, SYSTEM, { userId: id, disabled: false });

    // A password reset also revokes every API token of the user, scoped or not; other users' tokens live on.
    const s3 = createSession(engine, id, { clientAddr: null, userAgent: null });
    const dave = actorForUser(engine, getUser(engine, id), { sessionId: 'test' });
    const full = createToken(engine, dave, { name: 'full' });
    const scoped = createToken(engine, dave, { name: 'scoped', scopes: ['Download'] });
    const rootToken = createToken(engine, actorForUser(engine, requireUserByUsername(engine, 'root'), { sessionId: 'test' }), { name: 'root' });
    await resetPassword(engine, SYSTEM, { userId: id, password: 'a-new-password' });
    expect(resolveSession(engine, s3.token)).toBeNull();
    expect(resolveToken(engine, full.token)).toEqual({ ok: false, reason: 'revoked' });
    expect(resolveToken(engine, scoped.token)).toEqual({ ok: false, reason: 'revoked' });
    expect(resolveToken(engine, rootToken.token).ok).toBe(true);

    const s4 = createSession(engine, id, { clientAddr: null, userAgent: null });
    engine.db.run(sql`UPDATE sessions SET expires_at = ${Date.now() - 1}`);
    expect(resolveSession(engine, s4.token)).toBeNull();
  });

  it('tokens: hashed at rest, scoped, expire, revoke, record last use', async () => {
    const alice = await userActor(engine, 'alice', ['contributor']);
    const { id, token } = createToken(engine, alice, { name: 'ci', scopes: ['Download'] });
    expect(token).toMatch(/^torsh_[a-f0-9]{12}_[A-Za-z0-9_-]{43}$/);
    const row = engine.db.select().from(apiTokens).get()!;
    expect(row.secretHash).not.toContain(token.split('_')[2]);
    expect(row.lastUsedAt).toBeNull();

    const ok = resolveToken(engine, token);
    expect(ok.ok && [...ok.actor.permissions]).toEqual(['Download']);
    expect(engine.db.select().from(apiTokens).get()!.lastUsedAt).toBeTypeOf('number');

    expect(() => createToken(engine, alice, { name: 'too much', scopes: ['ManageUsers'] })).toThrowError(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => createToken(engine, alice, { name: 'bogus', scopes: ['Teleport'] })).toThrowError(expect.objectContaining({ code: 'UNKNOWN_PERMISSION' }));
    expect(() => createToken(engine, ANONYMOUS, { name: 'anon' })).toThrowError(expect.objectContaining({ code: 'UNAUTHENTICATED' }));

    expect(resolveToken(engine, 'torsh_nothex')).toEqual({ ok: false, reason: 'malformed' });
    expect(resolveToken(engine, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toEqual({ ok: false, reason: 'unknown' });

    const other = await userActor(engine, 'mallory', ['viewer']);
    expect(() => revokeToken(engine, other, id)).toThrowError(expect.objectContaining({ code: 'TOKEN_NOT_FOUND' }));
    revokeToken(engine, alice, id);
    expect(resolveToken(engine, token)).toEqual({ ok: false, reason: 'revoked' });

    const short = createToken(engine, alice, { name: 'short', expiresInDays: 1 });
    engine.db.run(sql`UPDATE api_tokens SET expires_at = ${Date.now() - 1} WHERE id = ${short.id}`);
    expect(resolveToken(engine, short.token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('a token narrows role changes made later: effective = current role ∩ scopes', async () => {
    const alice = await userActor(engine, 'alice', ['maintainer']);
    const { token } = createToken(engine, alice, { name: 'ci' });
    setUserRoles(engine, SYSTEM, { userId: alice.userId!, roles: ['viewer'] });
    const r = resolveToken(engine, token);
    expect(r.ok && [...r.actor.permissions].sort()).toEqual(['Download', 'ManageOwnKeys', 'ManageOwnTokens', 'ReadMetadata', 'ViewStats']);
  });

  it('roles: custom roles are created and edited; built-in ones cannot be deleted; unknown permissions are refused', () => {
    const { id } = createRole(engine, { name: 'publisher', permissions: ['ReadMetadata', 'Publish'] });
    updateRole(engine, SYSTEM, { roleId: id, permissions: ['ReadMetadata', 'Download', 'Publish'] });
    expect(listRoles(engine).find((r) => r.id === id)!.permissions).toEqual(['ReadMetadata', 'Download', 'Publish']);
    expect(() => createRole(engine, { name: 'publisher', permissions: [] })).toThrowError(expect.objectContaining({ code: 'ROLE_EXISTS' }));
    expect(() => createRole(engine, { name: 'weird', permissions: ['Fly'] })).toThrowError(expect.objectContaining({ code: 'UNKNOWN_PERMISSION' }));
    const viewer = listRoles(engine).find((r) => r.name === 'viewer')!;
    expect(() => deleteRole(engine, viewer.id)).toThrowError(expect.objectContaining({ code: 'ROLE_BUILT_IN' }));
    const admin = listRoles(engine).find((r) => r.name === 'admin')!;
    expect(() => updateRole(engine, SYSTEM, { roleId: admin.id, permissions: [] })).toThrowError(expect.objectContaining({ code: 'ROLE_BUILT_IN' }));
    deleteRole(engine, id);
    expect(listRoles(engine).some((r) => r.id === id)).toBe(false);
  });

  it('refuses to remove or disable the last enabled admin', async () => {
    const root = await userActor(engine, 'root', ['admin']);
    expect(() => setUserRoles(engine, SYSTEM, { userId: root.userId!, roles: ['viewer'] })).toThrowError(expect.objectContaining({ code: 'LAST_ADMIN' }));
    expect(() => setUserDisabled(engine, SYSTEM, { userId: root.userId!, disabled: true })).toThrowError(expect.objectContaining({ code: 'LAST_ADMIN' }));
    const second = await userActor(engine, 'second', ['admin']);
    setUserRoles(engine, SYSTEM, { userId: root.userId!, roles: ['viewer'] });
    expect(() => setUserDisabled(engine, SYSTEM, { userId: second.userId!, disabled: true })).toThrowError(expect.objectContaining({ code: 'LAST_ADMIN' }));
  });

  it('package access: owner → grant → role → public read; private packages are 404 to outsiders', async () => {
    const owner = await userActor(engine, 'owner', ['contributor']);
    const viewer = await userActor(engine, 'viewer1', ['viewer']);
    const maint = await userActor(engine, 'maint', ['maintainer']);
    const admin = await userActor(engine, 'root', ['admin']);
    const grantee = await userActor(engine, 'grantee', []);
    await publishAs(engine, owner, 'secret-model');
    expect(getPackageAccess(engine, 'secret-model')).toEqual({ visibility: 'public', require_signature: null, owners: ['owner'], grants: [] });

    // Public: anyone reads; role permissions apply (maintainer may yank, viewer may not).
    expect(() => authorizePackage(engine, ANONYMOUS, 'Download', 'secret-model')).not.toThrow();
    expect(() => authorizePackage(engine, ANONYMOUS, 'Yank', 'secret-model')).toThrowError(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
    expect(() => authorizePackage(engine, viewer, 'Yank', 'secret-model')).toThrowError(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => authorizePackage(engine, maint, 'Yank', 'secret-model')).not.toThrow();

    setVisibility(engine, { name: 'secret-model', visibility: 'private' });
    for (const outsider of [ANONYMOUS, viewer, maint, grantee]) {
      expect(() => authorizePackage(engine, outsider, 'ReadMetadata', 'secret-model')).toThrowError(expect.objectContaining({ code: 'PACKAGE_NOT_FOUND' }));
      expect(() => authorizePackage(engine, outsider, 'Download', 'secret-model')).toThrowError(expect.objectContaining({ code: 'PACKAGE_NOT_FOUND' }));
      expect(searchPackages(engine, outsider, {}).packages.map((p) => p.name)).not.toContain('secret-model');
      expect(getStats(engine, outsider).recent_versions.map((v) => v.name)).not.toContain('secret-model');
    }
    for (const insider of [owner, admin]) {
      expect(() => authorizePackage(engine, insider, 'Download', 'secret-model')).not.toThrow();
      expect(searchPackages(engine, insider, { q: 'secret' }).packages.map((p) => p.name)).toEqual(['secret-model']);
    }
    // Owners may publish new versions even though a contributor role would not reach a private package.
    expect(() => authorizePackage(engine, owner, 'Publish', 'secret-model')).not.toThrow();

    setGrant(engine, { name: 'secret-model', username: 'grantee', permissions: ['Download'] });
    expect(() => authorizePackage(engine, grantee, 'Download', 'secret-model')).not.toThrow();
    expect(() => authorizePackage(engine, grantee, 'Yank', 'secret-model')).toThrowError(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(searchPackages(engine, grantee, {}).packages.map((p) => p.name)).toContain('secret-model');

    // Restricted: signed-in readers yes, anonymous no.
    setVisibility(engine, { name: 'secret-model', visibility: 'restricted' });
    expect(() => authorizePackage(engine, viewer, 'Download', 'secret-model')).not.toThrow();
    expect(() => authorizePackage(engine, ANONYMOUS, 'Download', 'secret-model')).toThrowError(expect.objectContaining({ code: 'PACKAGE_NOT_FOUND' }));
  });

  it('a token is bounded by its scopes even on packages its user owns', async () => {
    const owner = await userActor(engine, 'owner', ['contributor']);
    await publishAs(engine, owner, 'owned');
    setVisibility(engine, { name: 'owned', visibility: 'private' });
    const { token } = createToken(engine, owner, { name: 'read-only', scopes: ['ReadMetadata', 'Download'] });
    const r = resolveToken(engine, token);
    if (!r.ok) throw new Error('token did not resolve');
    expect(() => authorizePackage(engine, r.actor, 'Download', 'owned')).not.toThrow();
    expect(() => authorizePackage(engine, r.actor, 'Yank', 'owned')).toThrowError(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => authorizePackage(engine, r.actor, 'Publish', 'brand-new')).toThrowError(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('owners: add, remove, never the last one; grants accept package permissions only', async () => {
    const owner = await userActor(engine, 'owner', ['contributor']);
    await userActor(engine, 'helper', ['viewer']);
    await publishAs(engine, owner, 'shared');
    addOwner(engine, { name: 'shared', username: 'helper' });
    expect(getPackageAccess(engine, 'shared').owners).toEqual(['helper', 'owner']);
    removeOwner(engine, { name: 'shared', username: 'owner' });
    expect(() => removeOwner(engine, { name: 'shared', username: 'helper' })).toThrowError(expect.objectContaining({ code: 'LAST_OWNER' }));
    expect(() => addOwner(engine, { name: 'shared', username: 'ghost' })).toThrowError(expect.objectContaining({ code: 'USER_NOT_FOUND' }));
    expect(() => setGrant(engine, { name: 'shared', username: 'owner', permissions: ['ManageUsers'] })).toThrowError(
      expect.objectContaining({ code: 'UNKNOWN_PERMISSION' }),
    );
  });
});
