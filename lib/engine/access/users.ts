import { and, desc, eq, isNull, like, or, sql } from 'drizzle-orm';
import { apiTokens, sessions, userRoles, users, type UserRow } from '@/db/schema';
import { ANONYMOUS, SYSTEM, type Actor } from '../actor';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { REGISTRY_OWNER } from '../security/keys';
import { assertMayAssignRoles, assertMayManageUser } from './grant-rules';
import { hashPassword } from './password';
import { countEnabledAdmins, permissionsOfRoles, roleIdsByName, rolesOfUser } from './roles';

export type UserView = {
  id: number;
  username: string;
  email: string;
  disabled: boolean;
  roles: string[];
  created_at: number;
  last_login_at: number | null;
};

export const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{1,31}$/;
export const MIN_PASSWORD_LENGTH = 10;
/** Names the UI shows for things that are not users (the registry's signing key, the anonymous and system actors). */
export const RESERVED_USERNAMES: readonly string[] = [REGISTRY_OWNER, ANONYMOUS.name, SYSTEM.name];

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('INVALID_INPUT', `passwords need at least ${MIN_PASSWORD_LENGTH} characters`);
  }
}

export function countUsers(engine: Engine): number {
  return engine.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM users`).n;
}

export function findUserByUsername(engine: Engine, username: string): UserRow | undefined {
  return engine.db.select().from(users).where(eq(users.username, username.toLowerCase())).get();
}

export function getUser(engine: Engine, userId: number): UserRow {
  const user = engine.db.select().from(users).where(eq(users.id, userId)).get();
  if (!user) throw new AppError('USER_NOT_FOUND', `user ${userId} does not exist`);
  return user;
}

export function toUserView(engine: Engine, user: UserRow): UserView {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    disabled: user.disabled,
    roles: rolesOfUser(engine, user.id).roles,
    created_at: user.createdAt,
    last_login_at: user.lastLoginAt,
  };
}

type NewUser = { username: string; email: string; password: string; roles: string[] };

/** A user created on someone's behalf: only roles whose permissions they hold, the admin role only by an admin. */
export async function createUserBy(engine: Engine, actor: Actor, input: NewUser): Promise<{ id: number }> {
  const names = [...new Set(input.roles)];
  assertMayAssignRoles(actor, { names, permissions: permissionsOfRoles(engine, names) });
  return createUser(engine, input);
}

/** No authorisation check of its own (bootstrap, setup): requests go through createUserBy. */
export async function createUser(engine: Engine, input: NewUser, opts: { onlyIfFirst?: boolean } = {}): Promise<{ id: number }> {
  const username = input.username.toLowerCase();
  if (!USERNAME_RE.test(username)) {
    throw new AppError('INVALID_INPUT', 'usernames are 2–32 lowercase letters, digits, ".", "_" or "-"');
  }
  if (RESERVED_USERNAMES.includes(username)) throw new AppError('INVALID_INPUT', `the username "${username}" is reserved`);
  checkPassword(input.password);
  const roleIds = roleIdsByName(engine, input.roles);
  const email = input.email.trim().toLowerCase();
  const clash = engine.db
    .select({ username: users.username, email: users.email })
    .from(users)
    .where(or(eq(users.username, username), eq(users.email, email)))
    .get();
  if (clash) {
    throw new AppError('USER_EXISTS', clash.username === username ? `the username "${username}" is taken` : `the email ${email} is already used`);
  }
  const passwordHash = await hashPassword(input.password);
  const now = Date.now();
  return engine.db.transaction((tx) => {
    if (opts.onlyIfFirst && tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM users`).n > 0) {
      throw new AppError('SETUP_DONE', 'setup is already complete; sign in instead');
    }
    const { id } = tx
      .insert(users)
      .values({ username, email, passwordHash, createdAt: now, updatedAt: now })
      .returning({ id: users.id })
      .get();
    if (roleIds.length > 0) tx.insert(userRoles).values(roleIds.map((roleId) => ({ userId: id, roleId }))).run();
    return { id };
  });
}

export function listUsers(engine: Engine, input: { q?: string; page: number; perPage: number }): { total: number; users: UserView[] } {
  const filter = input.q ? or(like(users.username, `%${input.q}%`), like(users.email, `%${input.q}%`)) : undefined;
  const total = engine.db.select({ n: sql<number>`count(*)` }).from(users).where(filter).get()!.n;
  const rows = engine.db
    .select()
    .from(users)
    .where(filter)
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(input.perPage)
    .offset((input.page - 1) * input.perPage)
    .all();
  return { total, users: rows.map((u) => toUserView(engine, u)) };
}

/** The user, once the actor may manage them (see assertMayManageUser), with their current roles. */
function managedUser(engine: Engine, actor: Actor, userId: number, verb: string): UserRow & { roles: string[] } {
  const user = getUser(engine, userId);
  const { roles, permissions } = rolesOfUser(engine, user.id);
  assertMayManageUser(actor, verb, { username: user.username, roles, permissions });
  return { ...user, roles };
}

/** Disabling signs the user out everywhere; the last enabled admin cannot be disabled. */
export function setUserDisabled(engine: Engine, actor: Actor, input: { userId: number; disabled: boolean }): UserRow {
  const user = managedUser(engine, actor, input.userId, input.disabled ? 'disable' : 'enable');
  if (input.disabled && !user.disabled && user.roles.includes('admin') && countEnabledAdmins(engine, user.id) === 0) {
    throw new AppError('LAST_ADMIN', `disabling ${user.username} would leave no enabled admin`);
  }
  engine.db.transaction((tx) => {
    tx.update(users).set({ disabled: input.disabled, updatedAt: Date.now() }).where(eq(users.id, user.id)).run();
    if (input.disabled) tx.delete(sessions).where(eq(sessions.userId, user.id)).run();
  });
  return user;
}

/** A new password ends every session of the user and revokes every API token they have. */
export async function resetPassword(engine: Engine, actor: Actor, input: { userId: number; password: string }): Promise<UserRow> {
  const user = managedUser(engine, actor, input.userId, 'reset the password of');
  checkPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  const now = Date.now();
  engine.db.transaction((tx) => {
    tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, user.id)).run();
    tx.delete(sessions).where(eq(sessions.userId, user.id)).run();
    tx.update(apiTokens).set({ revokedAt: now }).where(and(eq(apiTokens.userId, user.id), isNull(apiTokens.revokedAt))).run();
  });
  return user;
}

/** Replace a user's roles; the roles added must be ones the actor may assign. */
export function setUserRoles(engine: Engine, actor: Actor, input: { userId: number; roles: string[] }): UserRow {
  const user = managedUser(engine, actor, input.userId, 'change the roles of');
  const names = [...new Set(input.roles)];
  const added = names.filter((n) => !user.roles.includes(n));
  assertMayAssignRoles(actor, { names: added, permissions: permissionsOfRoles(engine, added) });
  const roleIds = roleIdsByName(engine, names);
  const losesAdmin = user.roles.includes('admin') && !names.includes('admin');
  if (losesAdmin && !user.disabled && countEnabledAdmins(engine, user.id) === 0) {
    throw new AppError('LAST_ADMIN', `removing the admin role from ${user.username} would leave no enabled admin`);
  }
  engine.db.transaction((tx) => {
    tx.delete(userRoles).where(eq(userRoles.userId, user.id)).run();
    if (roleIds.length > 0) tx.insert(userRoles).values(roleIds.map((roleId) => ({ userId: user.id, roleId }))).run();
  });
  return user;
}

export function requireUserByUsername(engine: Engine, username: string): UserRow {
  const user = findUserByUsername(engine, username);
  if (!user) throw new AppError('USER_NOT_FOUND', `no user named "${username}"`);
  return user;
}
