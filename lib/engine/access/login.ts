import { and, eq, gt, lt, sql } from 'drizzle-orm';
import { loginAttempts, users, type UserRow } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { verifyAgainstDummy, verifyPassword } from './password';

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

/** One message for every failure, so a caller learns nothing about which part was wrong. */
const INVALID = () => new AppError('INVALID_CREDENTIALS', 'Invalid username or password.');

function failuresSince(engine: Engine, column: typeof loginAttempts.username | typeof loginAttempts.clientAddr, value: string, since: number): number {
  return engine.db
    .select({ n: sql<number>`count(*)` })
    .from(loginAttempts)
    .where(and(eq(column, value), eq(loginAttempts.success, false), gt(loginAttempts.createdAt, since)))
    .get()!.n;
}

/**
 * Check a username and password, rate-limited per account and per address over a sliding
 * window. Unknown users, wrong passwords and disabled users all give the same error, and all
 * count toward the limits.
 */
export async function checkCredentials(
  engine: Engine,
  input: { username: string; password: string; clientAddr: string | null },
): Promise<UserRow> {
  const username = input.username.trim().toLowerCase();
  const now = Date.now();
  const since = now - LOGIN_WINDOW_MS;
  const limited =
    failuresSince(engine, loginAttempts.username, username, since) >= MAX_FAILURES_PER_ACCOUNT ||
    (input.clientAddr !== null && failuresSince(engine, loginAttempts.clientAddr, input.clientAddr, since) >= MAX_FAILURES_PER_ADDRESS);
  if (limited) {
    throw new AppError('RATE_LIMITED', `Too many failed sign-in attempts. Try again in ${Math.round(LOGIN_WINDOW_MS / 60000)} minutes.`);
  }
  const user = engine.db.select().from(users).where(eq(users.username, username)).get();
  const ok = user ? await verifyPassword(input.password, user.passwordHash) : await verifyAgainstDummy(input.password);
  const success = ok && user !== undefined && !user.disabled;
  engine.db.insert(loginAttempts).values({ username, clientAddr: input.clientAddr, success, createdAt: now }).run();
  if (!success) throw INVALID();
  engine.db.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id)).run();
  return user;
}

export function pruneLoginAttempts(engine: Engine): number {
  return engine.db.delete(loginAttempts).where(lt(loginAttempts.createdAt, Date.now() - LOGIN_WINDOW_MS)).run().changes;
}
