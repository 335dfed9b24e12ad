import type { Actor } from '@/lib/engine/actor';
import type { Engine } from '@/lib/engine/engine';
import { resolveActor } from '../request-context';

/**
 * Who calls the Hub API: the registry's usual bearer token or session cookie. The JavaScript client
 * refuses tokens without an `hf_` prefix, so `hf_torsh_…` is read as `torsh_…`.
 */
export function hubActor(engine: Engine, headers: Headers): Actor {
  const auth = headers.get('authorization');
  const m = auth === null ? null : /^(Bearer\s+)hf_(torsh_\S+\s*)$/i.exec(auth);
  if (!m) return resolveActor(engine, headers);
  const rewritten = new Headers(headers);
  rewritten.set('authorization', m[1] + m[2]);
  return resolveActor(engine, rewritten);
}
