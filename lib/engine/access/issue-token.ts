import type { Engine } from '../engine';
import { actorForUser } from './actor-for-user';
import { checkCredentials } from './login';
import { createToken } from './tokens';

/**
 * Username and password (rate-limited) → a new API token for that user: a fresh credential, so
 * it acts as the user unless scopes are given, and scopes never exceed the user's permissions.
 */
export async function issueTokenForCredentials(
  engine: Engine,
  input: { username: string; password: string; name: string; scopes?: string[]; expires_in_days?: number; clientAddr: string | null },
): Promise<{ id: number; token: string }> {
  const user = await checkCredentials(engine, input);
  const actor = actorForUser(engine, user, { sessionId: 'credentials' });
  return createToken(engine, actor, { name: input.name, scopes: input.scopes, expiresInDays: input.expires_in_days });
}
