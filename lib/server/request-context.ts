import { ANONYMOUS, type Actor } from '@/lib/engine/actor';
import { resolveSession } from '@/lib/engine/access/sessions';
import { resolveToken } from '@/lib/engine/access/tokens';
import type { Engine } from '@/lib/engine/engine';
import { AppError } from '@/lib/engine/errors';
import { SESSION_COOKIE, cookieFrom } from './session-cookie';

/** Where a handler may set or clear cookies (Next's cookie store for server actions). */
export type CookieJar = {
  set(name: string, value: string, opts: { httpOnly: boolean; sameSite: 'lax'; secure: boolean; path: string; expires: Date }): void;
  delete(name: string): void;
};

export type RequestContext = {
  engine: Engine;
  actor: Actor;
  clientAddr: string | null;
  headers: Headers;
  cookies: CookieJar | null;
};

/**
 * The client address the HTTP server resolved (lib/server/client-address.ts) and wrote into
 * X-Forwarded-For as the only entry, after dropping anything the client sent there or in X-Real-IP.
 */
export function clientAddrFrom(headers: Headers): string | null {
  const xff = headers.get('x-forwarded-for');
  if (xff) return xff.split(',')[0].trim() || null;
  return headers.get('x-real-ip');
}

const TOKEN_ERRORS = {
  malformed: 'the bearer token is malformed',
  unknown: 'the bearer token is not valid',
  revoked: 'the bearer token has been revoked',
  expired: 'the bearer token has expired',
  disabled: 'the bearer token belongs to a disabled user',
} as const;

/**
 * Who is calling: a bearer token (Authorization header) wins over the session cookie. A bearer
 * header that does not authenticate is an error (401), never a silent fall back to anonymous.
 */
export function resolveActor(engine: Engine, headers: Headers): Actor {
  const auth = headers.get('authorization');
  if (auth !== null) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (!m) throw new AppError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <token>"');
    const check = resolveToken(engine, m[1]);
    if (!check.ok) throw new AppError('UNAUTHENTICATED', TOKEN_ERRORS[check.reason]);
    return check.actor;
  }
  const session = cookieFrom(headers, SESSION_COOKIE);
  return (session && resolveSession(engine, session)) || ANONYMOUS;
}
