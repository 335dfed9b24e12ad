import { ANONYMOUS, type Actor } from '@/lib/engine/actor';
import type { Engine } from '@/lib/engine/engine';
import { getEngine } from './engine';

export type RequestContext = { engine: Engine; actor: Actor; clientAddr: string | null };

/**
 * First hop of X-Forwarded-For. The origin server overwrites the header with the socket address
 * unless TORSH_TRUST_PROXY=1 (a reverse proxy in front sets it), so clients cannot spoof it.
 */
export function clientAddrFrom(headers: Headers): string | null {
  const xff = headers.get('x-forwarded-for');
  if (xff) return xff.split(',')[0].trim() || null;
  return headers.get('x-real-ip');
}

/**
 * Who is calling. The accounts issue resolves sessions and bearer tokens here; until then
 * every caller is anonymous.
 */
export function resolveActor(_headers: Headers): Actor {
  return ANONYMOUS;
}

export function contextFrom(headers: Headers): RequestContext {
  return { engine: getEngine(), actor: resolveActor(headers), clientAddr: clientAddrFrom(headers) };
}
