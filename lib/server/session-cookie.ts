import type { RequestContext } from './request-context';

/** The session cookie: an opaque random token; the server keeps only its sha256. */
export const SESSION_COOKIE = 'torsh_session';

/** Read one cookie from a Cookie header; a value that is not valid percent-encoding counts as absent. */
export function cookieFrom(headers: Headers, name: string): string | null {
  const header = headers.get('cookie');
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeCookieValue(part.slice(eq + 1).trim());
  }
  return null;
}

function decodeCookieValue(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/** Secure cookies when the browser talks https to us (directly or through a proxy). */
export function isHttps(headers: Headers): boolean {
  const origin = headers.get('origin');
  // Browsers send `Origin: null` from sandboxed frames and after some redirects: not a URL.
  const proto = headers.get('x-forwarded-proto') ?? (origin && URL.canParse(origin) ? new URL(origin).protocol.replace(':', '') : 'http');
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
