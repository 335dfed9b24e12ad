'use server';

import { z } from 'zod';
import { setupFirstAdmin } from '@/lib/engine/access/bootstrap';
import { resolveSession, revokeSession } from '@/lib/engine/access/sessions';
import { signIn } from '@/lib/engine/access/sign-in';
import { action } from '@/lib/server/action';
import { SESSION_COOKIE, cookieFrom, setSessionCookie } from '@/lib/server/session-cookie';
import { ZLoginInput, ZSetupInput } from '@/lib/validations/accounts';

export const loginAction = action({
  permission: 'public',
  input: ZLoginInput,
  audit: { action: 'auth.login', target: (i) => i.username.toLowerCase() },
  run: async (i, ctx) => {
    const s = await signIn(ctx.engine, { ...i, clientAddr: ctx.clientAddr, userAgent: ctx.headers.get('user-agent') });
    setSessionCookie(ctx, s.token, s.expiresAt);
    ctx.actor = resolveSession(ctx.engine, s.token) ?? ctx.actor; // audited as the user who signed in
    return { username: s.username };
  },
});

export const logoutAction = action({
  permission: 'public',
  input: z.object({}),
  audit: { action: 'auth.logout', target: () => '' },
  run: (_i, ctx) => {
    const token = cookieFrom(ctx.headers, SESSION_COOKIE);
    if (token) revokeSession(ctx.engine, token);
    ctx.cookies?.delete(SESSION_COOKIE);
    return {};
  },
});

/** One-time creation of the first admin; refused once any user exists. */
export const setupAction = action({
  permission: 'public',
  input: ZSetupInput,
  audit: { action: 'auth.setup', target: (i) => i.username },
  run: async (i, ctx) => {
    await setupFirstAdmin(ctx.engine, i);
    const s = await signIn(ctx.engine, { username: i.username, password: i.password, clientAddr: ctx.clientAddr, userAgent: ctx.headers.get('user-agent') });
    setSessionCookie(ctx, s.token, s.expiresAt);
    ctx.actor = resolveSession(ctx.engine, s.token) ?? ctx.actor;
    return { username: s.username };
  },
});
