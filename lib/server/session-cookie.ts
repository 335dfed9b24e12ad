import type { RequestContext } from './request-context';

/** The session cookie: an opaque random token; the server keeps only its sha256. */
export const SESSION_COOKIE = 'torsh_session';

/** Read one cookie from a Cookie header. */
export function cookieFrom(headers: Headers, name: string): string | null {
  const header = headers.get('cookie');
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/** Secure cookies when the browser talks https to us (directly or through a proxy). */
export function isHttps(headers: Headers): boolean {
  const proto = headers.get('x-forwarded-proto') ?? new URL(headers.get('origin') ?? 'http://x').protocol.replace(':', '');
  return proto.split(',')[0].trim() === 'https';
}

export function sessionCookieOptions(headers: Headers, expiresAt: number) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: isHttps(headers),
    path: '/',
    expires: new Date(expiresAt),
  };
}

/** Store a new session in the response cookie (server actions only). */
export function setSessionCookie(ctx: RequestContext, token: string, expiresAt: number): void {
  ctx.cookies?.set(SESSION_COOKIE, token, sessionCookieOptions(ctx.headers, expiresAt));
}
