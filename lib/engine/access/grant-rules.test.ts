import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { userRoles, users } from '@/db/schema';
import type { Actor } from '../actor';
import { writeSamplePackage } from '../format/test-support/sample-package';
import { publishVersion } from '../registry';
import { tempEngine } from '../test-support/temp-engine';
import { actorForUser } from './actor-for-user';
import { bootstrapAccounts } from './bootstrap';
import { checkCredentials } from './login';
import { addOwnerBy, getPackageAccess, setGrantBy } from './manage-package-access';
import type { Permission } from './permissions';
import { hashPassword } from './password';
import { createRole, createRoleBy, listRoles, roleIdsByName, rolesOfUser, updateRole } from './roles';
import { createSession, resolveSession } from './sessions';
import { createToken, resolveToken } from './tokens';
import { createUserBy, findUserByUsername, getUser, resetPassword, setUserDisabled, setUserRoles } from './users';

type TestEngine = Awaited<ReturnType<typeof tempEngine>>;
const PW = 'correct horse battery';
const VIEWER: Permission[] = ['ReadMetadata', 'Download', 'ViewStats'];
const forbidden = (message: string | RegExp) => expect.objectContaining({ code: 'FORBIDDEN', message: expect.stringMatching(message) });

describe('nobody grants what they do not hold', () => {
  let engine: TestEngine;
  /** A viewer who may also manage users (no admin role, no Publish). */
  let userManager: Actor;
  /** A viewer who may also manage roles. */
  let roleManager: Actor;
  let admin: Actor;
  let passwordHash: string;
  let ids: Record<'root' | 'vic' | 'mae' | 'usermgr' | 'rolemgr', number>;

  /** A user row with a real scrypt hash of PW, computed once: hashing per user made this file slow. */
  function addUser(username: string, roles: string[]): number {
    const now = Date.now();
    const { id } = engine.db.insert(users).values({ username, email: `${username}@x.test`, passwordHash, createdAt: now, updatedAt: now }).returning().get();
    for (const roleId of roleIdsByName(engine, roles)) engine.db.insert(userRoles).values({ userId: id, roleId }).run();
    return id;
  }
  const actorOf = (id: number): Actor => actorForUser(engine, getUser(engine, id), { sessionId: 'test' });
  const rolesOf = (id: number) => rolesOfUser(engine, id).roles;
  const rolePermissions = (name: string) => listRoles(engine).find((r) => r.name === name)?.permissions;
  /** A token of `userId` narrowed to `scopes` (the actor a CI job would be). */
  function scopedActor(userId: number, scopes: Permission[]): Actor {
    const r = resolveToken(engine, createToken(engine, actorOf(userId), { name: 'scoped', scopes }).token);
    if (!r.ok) throw new Error(`token did not resolve: ${r.reason}`);
    return r.actor;
  }

  beforeAll(async () => {
    passwordHash = await hashPassword(PW);
  });
  beforeEach(async () => {
    engine = await tempEngine();
    await bootstrapAccounts(engine, undefined);
    createRole(engine, { name: 'user-managers', permissions: [...VIEWER, 'ManageUsers'] });
    createRole(engine, { name: 'role-managers', permissions: [...VIEWER, 'ManageRoles'] });
    ids = {
      root: addUser('root', ['admin']),
      vic: addUser('vic', ['viewer']),
      mae: addUser('mae', ['maintainer']),
      usermgr: addUser('usermgr', ['user-managers']),
      rolemgr: addUser('rolemgr', ['role-managers']),
    };
    userManager = actorOf(ids.usermgr);
    roleManager = actorOf(ids.rolemgr);
    admin = actorOf(ids.root);
  });
  afterEach(async () => {
    await engine.cleanup();
  });

  describe('creating a user with roles', () => {
    const newUser = (username: string, roles: string[]) => ({ username, email: `${username}@x.test`, password: PW, roles });

    it('refuses the admin role to a non-admin and roles carrying permissions the creator lacks; nothing is stored', async () => {
      await expect(createUserBy(engine, userManager, newUser('mallory', ['admin']))).rejects.toEqual(forbidden(/^only an admin can grant the admin role$/));
      await expect(createUserBy(engine, userManager, newUser('mallory', ['viewer', 'maintainer']))).rejects.toEqual(
        forbidden(/^assigning the roles "viewer", "maintainer" would grant Publish, Update, ManageVersions, Yank, Unyank, ManageOwners/),
      );
      expect(findUserByUsername(engine, 'mallory')).toBeUndefined();
    });

    it('refuses through a scoped token what the token lacks, and the admin role even to an admin’s scoped token', async () => {
      await expect(createUserBy(engine, scopedActor(ids.root, ['ManageUsers']), newUser('tok1', ['viewer']))).rejects.toEqual(forbidden(/ReadMetadata, Download, ViewStats/));
      const broad = scopedActor(ids.root, [...VIEWER, 'ManageUsers']);
      await expect(createUserBy(engine, broad, newUser('tok2', ['admin']))).rejects.toEqual(forbidden(/admin role/));
      expect(findUserByUsername(engine, 'tok1')).toBeUndefined();
      expect(findUserByUsername(engine, 'tok2')).toBeUndefined();
      const { id } = await createUserBy(engine, broad, newUser('tok3', ['viewer']));
      expect(rolesOf(id)).toEqual(['viewer']);
    });

    it('allows roles within the creator’s permissions, and the admin role from an admin', async () => {
      const viewer = await createUserBy(engine, userManager, newUser('newbie', ['viewer']));
      expect(rolesOf(viewer.id)).toEqual(['viewer']);
      const peer = await createUserBy(engine, userManager, newUser('peer', ['user-managers']));
      expect(rolesOf(peer.id)).toEqual(['user-managers']);
      const second = await createUserBy(engine, admin, newUser('second', ['admin']));
      expect(rolesOf(second.id)).toEqual(['admin']);
      expect((await checkCredentials(engine, { username: 'second', password: PW, clientAddr: null })).id).toBe(second.id);
    });
  });

  describe('changing roles', () => {
    it('refuses to make oneself admin or to add roles carrying permissions one lacks; roles stay as they were', () => {
      expect(() => setUserRoles(engine, userManager, { userId: ids.usermgr, roles: ['user-managers', 'admin'] })).toThrowError(forbidden(/admin role/));
      expect(() => setUserRoles(engine, userManager, { userId: ids.vic, roles: ['viewer', 'contributor'] })).toThrowError(
        forbidden(/^assigning the role "contributor" would grant Publish, which you do not hold yourself$/),
      );
      expect(rolesOf(ids.usermgr)).toEqual(['user-managers']);
      expect(rolesOf(ids.vic)).toEqual(['viewer']);
    });

    it('refuses to touch an admin or a user holding permissions one lacks', () => {
      expect(() => setUserRoles(engine, userManager, { userId: ids.root, roles: ['viewer'] })).toThrowError(
        forbidden(/^you cannot change the roles of "root": only an admin can change an admin$/),
      );
      expect(() => setUserRoles(engine, userManager, { userId: ids.mae, roles: ['viewer'] })).toThrowError(
        forbidden(/^you cannot change the roles of "mae": they hold Publish, Update, ManageVersions, Yank, Unyank, ManageOwners, which you do not$/),
      );
      expect(rolesOf(ids.root)).toEqual(['admin']);
      expect(rolesOf(ids.mae)).toEqual(['maintainer']);
    });

    it('checks only the roles being added: a user keeps roles the changer could not grant', () => {
      const both = addUser('both', ['viewer', 'user-managers']);
      setUserRoles(engine, userManager, { userId: both, roles: ['user-managers'] });
      expect(rolesOf(both)).toEqual(['user-managers']);
      setUserRoles(engine, userManager, { userId: ids.vic, roles: [] });
      expect(rolesOf(ids.vic)).toEqual([]);
      setUserRoles(engine, userManager, { userId: ids.vic, roles: ['viewer', 'user-managers'] });
      expect(rolesOf(ids.vic)).toEqual(['user-managers', 'viewer']);
      setUserRoles(engine, admin, { userId: ids.vic, roles: ['admin'] });
      expect(rolesOf(ids.vic)).toEqual(['admin']);
    });
  });

  describe('resetting a password', () => {
    it('refuses for an admin or a more privileged user: the old password and sessions keep working', async () => {
      const session = createSession(engine, ids.root, { clientAddr: null, userAgent: null });
      await expect(resetPassword(engine, userManager, { userId: ids.root, password: 'taken-over-pw' })).rejects.toEqual(forbidden(/only an admin can change an admin/));
      await expect(resetPassword(engine, userManager, { userId: ids.mae, password: 'taken-over-pw' })).rejects.toEqual(forbidden(/they hold Publish/));
      expect(resolveSession(engine, session.token)).toMatchObject({ name: 'root' });
      expect((await checkCredentials(engine, { username: 'root', password: PW, clientAddr: null })).id).toBe(ids.root);
      expect((await checkCredentials(engine, { username: 'mae', password: PW, clientAddr: null })).id).toBe(ids.mae);
    });

    it('allows it for a user within one’s permissions, and for anyone from an admin', async () => {
      await resetPassword(engine, userManager, { userId: ids.vic, password: 'new-vic-password' });
      expect((await checkCredentials(engine, { username: 'vic', password: 'new-vic-password', clientAddr: null })).id).toBe(ids.vic);
      await resetPassword(engine, admin, { userId: ids.mae, password: 'new-mae-password' });
      expect((await checkCredentials(engine, { username: 'mae', password: 'new-mae-password', clientAddr: null })).id).toBe(ids.mae);
    });
  });

  describe('disabling and enabling', () => {
    it('refuses for an admin or a more privileged user; the account stays as it was', () => {
      expect(() => setUserDisabled(engine, userManager, { userId: ids.root, disabled: true })).toThrowError(forbidden(/^you cannot disable "root"/));
      expect(() => setUserDisabled(engine, userManager, { userId: ids.mae, disabled: true })).toThrowError(forbidden(/^you cannot disable "mae"/));
      expect(getUser(engine, ids.root).disabled).toBe(false);
      expect(getUser(engine, ids.mae).disabled).toBe(false);
      const dormant = addUser('dormant', ['admin']);
      setUserDisabled(engine, admin, { userId: dormant, disabled: true });
      expect(() => setUserDisabled(engine, userManager, { userId: dormant, disabled: false })).toThrowError(forbidden(/^you cannot enable "dormant"/));
      expect(getUser(engine, dormant).disabled).toBe(true);
    });

    it('allows it within one’s permissions, and for admins from an admin', () => {
      setUserDisabled(engine, userManager, { userId: ids.vic, disabled: true });
      expect(getUser(engine, ids.vic).disabled).toBe(true);
      setUserDisabled(engine, userManager, { userId: ids.vic, disabled: false });
      expect(getUser(engine, ids.vic).disabled).toBe(false);
      const other = addUser('other-admin', ['admin']);
      setUserDisabled(engine, admin, { userId: other, disabled: true });
      expect(getUser(engine, other).disabled).toBe(true);
    });
  });

  describe('roles', () => {
    it('refuses a new role carrying permissions its creator lacks; nothing is stored', () => {
      expect(() => createRoleBy(engine, roleManager, { name: 'escalate', permissions: ['Download', 'ManageUsers'] })).toThrowError(
        forbidden(/^the role "escalate" would grant ManageUsers, which you do not hold yourself$/),
      );
      expect(rolePermissions('escalate')).toBeUndefined();
      expect(() => createRoleBy(engine, roleManager, { name: 'weird', permissions: ['Fly'] })).toThrowError(expect.objectContaining({ code: 'UNKNOWN_PERMISSION' }));
    });

    it('allows a new role within its creator’s permissions', () => {
      const { id } = createRoleBy(engine, roleManager, { name: 'readers', permissions: ['ReadMetadata', 'Download'] });
      expect(listRoles(engine).find((r) => r.id === id)?.permissions).toEqual(['ReadMetadata', 'Download']);
    });

    it('refuses to add to a role (one’s own included) a permission one lacks; permissions stay as they were', () => {
      const own = listRoles(engine).find((r) => r.name === 'role-managers')!;
      expect(() => updateRole(engine, roleManager, { roleId: own.id, permissions: [...own.permissions, 'ManageUsers'] })).toThrowError(
        forbidden(/^adding to the role "role-managers" would grant ManageUsers/),
      );
      expect(rolePermissions('role-managers')).toEqual(own.permissions);
      const scoped = scopedActor(ids.root, ['ManageRoles']);
      expect(() => updateRole(engine, scoped, { roleId: own.id, permissions: [...own.permissions, 'Publish'] })).toThrowError(forbidden(/would grant Publish/));
      expect(rolePermissions('role-managers')).toEqual(own.permissions);
    });

    it('checks only what a role gains: one may remove a permission one lacks and keep the others', () => {
      const contributor = listRoles(engine).find((r) => r.name === 'contributor')!;
      expect(contributor.permissions).toEqual(['ReadMetadata', 'Download', 'Publish', 'ViewStats']);
      updateRole(engine, roleManager, { roleId: contributor.id, permissions: ['ReadMetadata', 'Download', 'ViewStats'] });
      expect(rolePermissions('contributor')).toEqual(['ReadMetadata', 'Download', 'ViewStats']);
      updateRole(engine, admin, { roleId: contributor.id, permissions: contributor.permissions });
      expect(rolePermissions('contributor')).toEqual(contributor.permissions);
    });
  });

  describe('package owners and grants', () => {
    beforeEach(async () => {
      const file = await writeSamplePackage({ name: 'shared', version: '1.0.0' });
      const publisher = actorOf(addUser('publisher', ['contributor']));
      await publishVersion(engine, publisher, { name: 'shared', version: '1.0.0', source: { kind: 'stream', body: createReadStream(file), contentLength: (await stat(file)).size } });
    });

    it('refuses a maintainer (ManageOwners by role, no Delete) making anyone an owner or granting Delete; nothing changes', () => {
      const maintainer = actorOf(ids.mae);
      expect(() => addOwnerBy(engine, maintainer, { name: 'shared', username: 'mae' })).toThrowError(
        forbidden(/^making "mae" an owner of shared would grant Delete, which you do not hold yourself$/),
      );
      expect(() => setGrantBy(engine, maintainer, { name: 'shared', username: 'vic', permissions: ['Download', 'Delete'] })).toThrowError(
        forbidden(/^the grant to "vic" on shared would grant Delete/),
      );
      expect(() => setGrantBy(engine, scopedActor(ids.root, ['ManageOwners', 'Download']), { name: 'shared', username: 'vic', permissions: ['Yank'] })).toThrowError(
        forbidden(/would grant Yank/),
      );
      expect(getPackageAccess(engine, 'shared')).toMatchObject({ owners: ['publisher'], grants: [] });
    });

    it('allows grants within what the granter holds there, and owners from owners', () => {
      addUser('grantee', []);
      const maintainer = actorOf(ids.mae);
      setGrantBy(engine, maintainer, { name: 'shared', username: 'vic', permissions: ['Download', 'Yank'] });
      expect(getPackageAccess(engine, 'shared').grants).toEqual([{ username: 'vic', permissions: ['Download', 'Yank'] }]);
      const owner = actorOf(findUserByUsername(engine, 'publisher')!.id);
      setGrantBy(engine, owner, { name: 'shared', username: 'vic', permissions: ['Download', 'Delete'] });
      expect(getPackageAccess(engine, 'shared').grants).toEqual([{ username: 'vic', permissions: ['Delete', 'Download'] }]);
      // Only what a grant gains is checked: the maintainer may trim a grant holding Delete.
      setGrantBy(engine, maintainer, { name: 'shared', username: 'vic', permissions: ['Delete'] });
      expect(getPackageAccess(engine, 'shared').grants).toEqual([{ username: 'vic', permissions: ['Delete'] }]);
      // Made an owner by an owner, the maintainer holds every package permission there.
      addOwnerBy(engine, owner, { name: 'shared', username: 'mae' });
      setGrantBy(engine, maintainer, { name: 'shared', username: 'grantee', permissions: ['Delete', 'ManageOwners'] });
      expect(getPackageAccess(engine, 'shared')).toMatchObject({
        owners: ['mae', 'publisher'],
        grants: [
          { username: 'grantee', permissions: ['Delete', 'ManageOwners'] },
          { username: 'vic', permissions: ['Delete'] },
        ],
      });
    });
  });
});
