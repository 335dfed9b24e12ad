import type { Engine } from '../engine';
import { checkCredentials } from './login';
import { createSession } from './sessions';

/** Check credentials (rate-limited) and open a server-side session. */
export async function signIn(
  engine: Engine,
  input: { username: string; password: string; clientAddr: string | null; userAgent: string | null },
): Promise<{ username: string; token: string; expiresAt: number }> {
  const user = await checkCredentials(engine, input);
  const session = createSession(engine, user.id, { clientAddr: input.clientAddr, userAgent: input.userAgent });
  return { username: user.username, ...session };
}
