import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { loginAttempts, users, type UserRow } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError, isAppError } from '../errors';
import { passwordHasher, type PasswordHasher } from './password';

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

/** One message for every failure, so a caller learns nothing about which part was wrong. */
const INVALID = () => new AppError('INVALID_CREDENTIALS', 'Invalid username or password.');


function failuresSince(tx: Pick<Db, 'select'>, column: typeof loginAttempts.username | typeof loginAttempts.clientAddr, value: string, since: number): number {
  return tx
    .select({ n: sql<number>`count(*)` })
    .from(loginAttempts)
    .where(and(eq(column, value), eq(loginAttempts.success, false), gt(loginAttempts.createdAt, since)))
    .get()!.n;
}

/**
 * Count recent failures and record this attempt as one, in one write transaction, before any
 * password is hashed: parallel guesses each see the ones before them, so no more than the limit
 * are ever evaluated. The row becomes a success once the password checks out.
 */
function recordAttempt(engine: Engine, username: string, clientAddr: string | null, now: number): number {
  return engine.db.transaction(
    (tx) => {
      const since = now - LOGIN_WINDOW_MS;
      const limited =
        failuresSince(tx, loginAttempts.username, username, since) >= MAX_FAILURES_PER_ACCOUNT ||
        (clientAddr !== null && failuresSince(tx, loginAttempts.clientAddr, clientAddr, since) >= MAX_FAILURES_PER_ADDRESS);
      if (limited) {
        throw new AppError('RATE_LIMITED', `Too many failed sign-in attempts. Try again in ${Math.round(LOGIN_WINDOW_MS / 60000)} minutes.`);
      }
      return tx.insert(loginAttempts).values({ username, clientAddr, success: false, createdAt: now }).returning({ id: loginAttempts.id }).get().id;
    },
    { behavior: 'immediate' },
  );
}

/**
 * Check a username and password, rate-limited per account and per address over a sliding
 * window. Unknown users, wrong passwords and disabled users all give the same error, and all
 * count toward the limits.
 */
export async function checkCredentials(
  engine: Engine,
  input: { username: string; password: string; clientAddr: string | null },
  hasher: PasswordHasher = passwordHasher,
): Promise<UserRow> {
  const username = input.username.trim().toLowerCase();
  const now = Date.now();
  const attemptId = recordAttempt(engine, username, input.clientAddr, now);
  const user = engine.db.select().from(users).where(eq(users.username, username)).get();
  let ok: boolean;
  try {
    ok = user ? await hasher.verify(input.password, user.passwordHash) : await hasher.verifyDummy(input.password);
  } catch (err) {
    // The hashing queue was full: no password was checked, so the attempt does not count.
    if (isAppError(err) && err.code === 'RATE_LIMITED') engine.db.delete(loginAttempts).where(eq(loginAttempts.id, attemptId)).run();
    throw err;
  }
  if (!ok || !user || user.disabled) throw INVALID();
  engine.db.transaction((tx) => {
    tx.update(loginAttempts).set({ success: true }).where(eq(loginAttempts.id, attemptId)).run();
    tx.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id)).run();
  });
  return user;
}

export function pruneLoginAttempts(engine: Engine): number {
  return engine.db.delete(loginAttempts).where(lt(loginAttempts.createdAt, Date.now() - LOGIN_WINDOW_MS)).run().changes;
}
