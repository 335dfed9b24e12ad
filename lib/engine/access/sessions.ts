import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import { sessions, users } from '@/db/schema';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { prepared } from '../prepared';
import { actorForUser } from './actor-for-user';

/** Sliding expiry: a session lives IDLE_MS past its last use, and never beyond MAX_AGE_MS. */
export const SESSION_IDLE_MS = 7 * 24 * 3600 * 1000;
export const SESSION_MAX_AGE_MS = 30 * 24 * 3600 * 1000;
const TOUCH_EVERY_MS = 60 * 1000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function createSession(
  engine: Engine,
  userId: number,
  meta: { clientAddr: string | null; userAgent: string | null },
): { token: string; expiresAt: number } {
  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  const expiresAt = now + SESSION_IDLE_MS;
  engine.db
    .insert(sessions)
    .values({ id: hashToken(token), userId, createdAt: now, lastSeenAt: now, expiresAt, clientAddr: meta.clientAddr, userAgent: meta.userAgent?.slice(0, 512) ?? null })
    .run();
  return { token, expiresAt };
}

/** The actor behind a session cookie, or null (unknown, expired, or the user is disabled). */
export function resolveSession(engine: Engine, token: string): Actor | null {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const id = hashToken(token);
  const now = Date.now();
  const row = prepared(engine.db, 'session-by-id', (db) =>
    db
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.id, sql.placeholder('id')), gt(sessions.expiresAt, sql.placeholder('now'))))
      .prepare(),
  ).get({ id, now });
  if (!row || row.user.disabled) return null;
  if (now - row.session.lastSeenAt > TOUCH_EVERY_MS) {
    const expiresAt = Math.min(now + SESSION_IDLE_MS, row.session.createdAt + SESSION_MAX_AGE_MS);
    engine.db.update(sessions).set({ lastSeenAt: now, expiresAt }).where(eq(sessions.id, id)).run();
  }
  return actorForUser(engine, row.user, { sessionId: id });
}

export function revokeSession(engine: Engine, token: string): void {
  engine.db.delete(sessions).where(eq(sessions.id, hashToken(token))).run();
}

export function deleteExpiredSessions(engine: Engine): number {
  return engine.db.delete(sessions).where(lt(sessions.expiresAt, Date.now())).run().changes;
}
