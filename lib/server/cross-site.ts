import type { Actor } from '@/lib/engine/actor';
import { AppError } from '@/lib/engine/errors';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameOrigin(headers: Headers): boolean {
  const site = headers.get('sec-fetch-site');
  if (site !== null) return site === 'same-origin';
  const origin = headers.get('origin');
  const host = headers.get('host');
  if (origin === null || host === null) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * Cookie-authenticated API mutations need a JSON body (which a cross-site form cannot send
 * without a CORS preflight we never grant) or a same-origin Origin / Sec-Fetch-Site. Bearer
 * tokens are not sent by browsers on their own, so they need neither.
 */
export function assertNotCrossSite(actor: Actor, method: string, headers: Headers): void {
  if (SAFE.has(method) || actor.kind !== 'user' || actor.sessionId === undefined) return;
  const type = headers.get('content-type')?.split(';')[0].trim().toLowerCase();
  if (type === 'application/json' || sameOrigin(headers)) return;
  throw new AppError('CROSS_SITE_REQUEST', 'a signed-in browser request that changes something must be same-origin or send JSON');
}
